import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AppAuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { resolveJwtSecret } from './jwt-secret';
import { JWT_SECRET, JwtStrategy } from './jwt.strategy';
import { AuthRateLimiter } from './auth-rate-limiter';
import { PasswordHasher } from './password-hasher';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    JwtModule.registerAsync({
      inject: [JWT_SECRET, SETTINGS],
      useFactory: (secret: string, s: AppSettings) => ({ secret, signOptions: { expiresIn: s.jwtExpiresInSeconds, algorithm: 'HS256' } }),
      extraProviders: [{ provide: JWT_SECRET, inject: [SETTINGS], useFactory: resolveJwtSecret }],
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    AuthRateLimiter,
    PasswordHasher,
    JwtStrategy,
    { provide: JWT_SECRET, inject: [SETTINGS], useFactory: resolveJwtSecret },
    { provide: APP_GUARD, useClass: AppAuthGuard },
  ],
  exports: [AuthService],
})
export class AuthModule {}
