import { identityDocumentTypes } from '@okpay/contracts';
import { detectImageType, type ImageType, imageFileExtensions } from '../../platform/index.js';

/** Image types accepted as identity documents: no GIF. */
export type DocumentImageType = (typeof identityDocumentTypes)[number];

const isDocumentType = (type: ImageType): type is DocumentImageType => (identityDocumentTypes as readonly string[]).includes(type);

/** The document's image type by its first bytes, not the client's label; undefined for anything else. */
export function detectDocumentType(bytes: Buffer): DocumentImageType | undefined {
  const type = detectImageType(bytes);
  return type && isDocumentType(type) ? type : undefined;
}

export const fileExtensions: Record<DocumentImageType, string> = imageFileExtensions;
