import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions } from '../../ormconfig';

/** TypeORM on the resolved database URL; pending migrations run at start. */
@Module({})
export class DatabaseModule {
  static forRoot(databaseUrl: string, applicationName = 'sigmasight'): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(databaseUrl, { applicationName }),
          migrationsRun: true,
          retryAttempts: 3,
          retryDelay: 1000,
        }),
      ],
    };
  }
}
