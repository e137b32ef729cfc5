import type { UserId } from '../common/branded';
import type { UserRole } from '../users/user.entity';

export interface AuthenticatedUser {
  id: UserId;
  email: string;
  role: UserRole;
}
