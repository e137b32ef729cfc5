import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length, Matches } from 'class-validator';

export const MAX_TAGS_PER_POSITION = 20;
export const MAX_TAG_LENGTH = 64;

/** A holding's tags, replacing the ones it had; control characters are refused by the global pipe. */
export class PositionTagsDto {
  @ApiProperty({
    type: 'array', maxItems: MAX_TAGS_PER_POSITION, example: ['core', 'income'],
    items: { type: 'string', minLength: 1, maxLength: MAX_TAG_LENGTH, pattern: '^\\S(.*\\S)?$' },
    description: 'Each 1-64 characters, no control characters, no leading or trailing space; repeats are stored once; [] clears',
  })
  @IsArray()
  @ArrayMaxSize(MAX_TAGS_PER_POSITION)
  @IsString({ each: true })
  @Length(1, MAX_TAG_LENGTH, { each: true })
  @Matches(/^\S(.*\S)?$/s, { each: true, message: 'each tag must not start or end with a space' })
  tags: string[];
}

export class PositionTagsResponse {
  @ApiProperty({ type: 'string', format: 'uuid' })
  position_id: string;

  @ApiProperty({ type: 'array', items: { type: 'string' }, description: 'Sorted, unique' })
  tags: string[];
}
