import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppSettings } from './settings';

/** Injection token for the parsed settings. */
export const SETTINGS = Symbol('SETTINGS');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(settings: AppSettings): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: SETTINGS, useValue: settings }], exports: [SETTINGS] };
  }
}
