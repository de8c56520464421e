import { type DynamicModule, Module } from '@nestjs/common';
import { join } from 'node:path';
import type { AppConfig } from '@libs/config/app-config.js';
import { projectRoot } from '@libs/config/project-root.js';
import { WebAppController } from './web-app.controller.js';
import { WebAppFiles } from './web-app-files.js';
import { WEB_APP_SETTINGS, webAppSettingsOf } from './web-app-settings.js';

/** The browser app at `/`, `/auth/callback`, `/assets/*`, and its `/app-config.json`. */
@Module({})
export class WebAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WebAppModule,
      controllers: [WebAppController],
      providers: [
        { provide: WebAppFiles, useFactory: () => WebAppFiles.load(join(projectRoot(), 'dist', 'web')) },
        { provide: WEB_APP_SETTINGS, useValue: webAppSettingsOf(config) },
      ],
    };
  }
}
