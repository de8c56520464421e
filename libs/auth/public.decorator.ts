import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'crisis-link:public';
/** The only way around authentication (house rule 1): health and key sets only. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
