import type { RequestBodyObject } from '@nestjs/swagger';

/**
 * The request body of a CSV upload route: a text/csv body, or the file in
 * multipart field `file` (for `@ApiOperation({ requestBody })`).
 */
export function csvUploadBody(example: string): RequestBodyObject {
  return {
    required: true,
    content: {
      'text/csv': { schema: { type: 'string', example } },
      'multipart/form-data': {
        schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'The CSV file' } } },
      },
    },
  };
}
