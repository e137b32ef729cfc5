import { ApiProperty } from '@nestjs/swagger';
import type { UserRole } from '../users/user.entity';

const USER_ROLES: readonly UserRole[] = ['user', 'admin'];

/** A user as the API shows it (never the password hash). */
export class UserResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  id: string;

  @ApiProperty({ type: 'string', format: 'email', maxLength: 254, example: 'ada@example.com' })
  email: string;

  @ApiProperty({ type: 'string', maxLength: 200, example: 'Ada Lovelace' })
  full_name: string;

  @ApiProperty({ enum: USER_ROLES })
  role: UserRole;

  @ApiProperty({ type: 'string', format: 'date-time' })
  created_at: string;
}

export class TokenResponse {
  @ApiProperty({ type: 'string', description: 'JWT; send as `Authorization: Bearer <token>`' })
  access_token: string;

  @ApiProperty({ enum: ['bearer'] })
  token_type: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds until the token expires' })
  expires_in: number;

  @ApiProperty({ type: UserResponse })
  user: UserResponse;
}
