import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { conflict } from '../common/errors';
import { hashPassword } from '../auth/password-hasher';
import { sqlRows } from '../database/sql';
import { UserEntity, UserRole } from './user.entity';

export interface NewUser {
  email: string;
  password: string;
  fullName: string;
  role?: UserRole;
}

export interface UserView {
  id: string;
  email: string;
  full_name: string;
  role: UserRole;
  created_at: string;
}

export const toUserView = (u: UserEntity): UserView => ({
  id: u.id,
  email: u.email,
  full_name: u.fullName,
  role: u.role,
  created_at: u.createdAt.toISOString(),
});

@Injectable()
export class UsersService {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { email: email.toLowerCase() } });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { id } });
  }

  count(): Promise<number> {
    return this.users.count();
  }

  async create(input: NewUser): Promise<UserEntity> {
    const email = input.email.toLowerCase();
    if (await this.findByEmail(email)) throw conflict('Email already registered');
    const entity = this.users.create({ email, fullName: input.fullName, role: input.role ?? 'user', passwordHash: await hashPassword(input.password) });
    try {
      return await this.users.save(entity);
    } catch (e) {
      // unique_violation from a concurrent registration of the same email
      if ((e as { code?: string }).code === '23505') throw conflict('Email already registered');
      throw e;
    }
  }

  /**
   * Inserts an account unless the email is taken (ON CONFLICT DO NOTHING: no
   * failing statement, no race); null when it was taken. Registration answers
   * both cases alike, so this does the same work either way.
   */
  async insertIfNew(input: { email: string; fullName: string; passwordHash: string }): Promise<UserEntity | null> {
    const rows = await sqlRows(
      this.users.manager,
      `INSERT INTO users (email, password_hash, full_name, role) VALUES ($1, $2, $3, 'user')
       ON CONFLICT (email) DO NOTHING
       RETURNING id, email, full_name, role, token_version, created_at`,
      [input.email.toLowerCase(), input.passwordHash, input.fullName],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return this.users.create({ id: r.id, email: r.email, fullName: r.full_name, role: r.role, tokenVersion: r.token_version, createdAt: new Date(r.created_at), passwordHash: input.passwordHash });
  }

  /** Replaces the password hash; the users_revoke_tokens trigger then revokes every token issued before. */
  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** Creates the admin, or promotes and resets the password of an existing account with that email. */
  async upsertAdmin(email: string, password: string, fullName = 'Administrator'): Promise<UserEntity> {
    const existing = await this.findByEmail(email);
    if (!existing) return this.create({ email, password, fullName, role: 'admin' });
    existing.role = 'admin';
    existing.passwordHash = await hashPassword(password);
    return this.users.save(existing);
  }
}
