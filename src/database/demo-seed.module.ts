import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { SETTINGS } from '../config/config.module';
import type { AppSettings } from '../config/settings';
import { asUserId } from '../common/branded';
import { asPortfolioId } from '../common/branded';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { PortfoliosService } from '../portfolios/portfolios.service';
import { PositionsService } from '../portfolios/positions.service';
import { UsersModule } from '../users/users.module';
import { UsersService } from '../users/users.service';
import { syntheticClose } from '../market-data/providers';
import { asCalendarDate } from '../common/branded';
import { DEMO_ADMIN, DEMO_USER, demoPortfolios } from './demo-data';

const EMBEDDED = Symbol('EMBEDDED');

/**
 * First-start data: the admin from ADMIN_EMAIL/ADMIN_PASSWORD when that account
 * does not exist yet, and the demo book on an empty embedded database (or when
 * SEED_DEMO_DATA=true), never in production.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('DemoSeed');

  constructor(
    private readonly users: UsersService,
    private readonly portfolios: PortfoliosService,
    private readonly positions: PositionsService,
    @Inject(SETTINGS) private readonly settings: AppSettings,
    @Inject(EMBEDDED) private readonly embedded: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const empty = (await this.users.count()) === 0;
    const { adminEmail, adminPassword } = this.settings;
    if (adminEmail && adminPassword && !(await this.users.findByEmail(adminEmail))) {
      try {
        await this.users.create({ email: adminEmail, password: adminPassword, fullName: 'Administrator', role: 'admin' });
        this.logger.log(`Created admin ${adminEmail} from ADMIN_EMAIL`);
      } catch (e) {
        // another instance starting at the same moment created it first
        if (!(e instanceof DomainError && e.kind === 'conflict')) throw e;
      }
    }
    // Never in production: the demo accounts' passwords are published (loadSettings also refuses SEED_DEMO_DATA=true there).
    if (this.settings.nodeEnv === 'production') return;
    const wanted = this.settings.seedDemoData ?? (this.embedded && empty);
    if (!wanted) return;
    if (await this.users.findByEmail(DEMO_USER.email)) return;
    await this.seed();
  }

  private async seed(): Promise<void> {
    const user = await this.users.create(DEMO_USER);
    if (!(await this.users.findByEmail(DEMO_ADMIN.email))) await this.users.create({ ...DEMO_ADMIN, role: 'admin' });
    // entry prices from the synthetic walk (the embedded default) so the demo book starts near its own prices
    const seed = this.settings.syntheticSeed;
    const priceAt = (symbol: string, date: string) => syntheticClose(symbol, asCalendarDate(date), seed);
    for (const demo of demoPortfolios(priceAt)) {
      const p = await this.portfolios.create(asUserId(user.id), { name: demo.name, cash_balance: demo.cash });
      await this.positions.store(null, asPortfolioId(p.id), demo.positions, 'append');
    }
    this.logger.log(
      `Demo data seeded. Log in with POST /api/v1/auth/login {"email":"${DEMO_USER.email}","password":"${DEMO_USER.password}"} ` +
        `(admin: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password})`,
    );
  }
}

@Module({})
export class DemoSeedModule {
  static forRoot(embedded: boolean): DynamicModule {
    return {
      module: DemoSeedModule,
      imports: [UsersModule, PortfoliosModule],
      providers: [DemoSeeder, { provide: EMBEDDED, useValue: embedded }],
    };
  }
}
