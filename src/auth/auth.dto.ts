import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterDto {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  full_name: string;
}

export class LoginDto {
  @ApiProperty({ format: 'email', example: 'demo@sigmasight.local' })
  @IsEmail()
  email: string;

  @ApiProperty({ maxLength: 128 })
  @IsString()
  @MaxLength(128)
  password: string;
}
