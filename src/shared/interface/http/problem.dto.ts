import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

// RFC 7807 problem details, as every API error is answered (application/problem+json).
export class ProblemResponse {
  @ApiProperty({ example: 'urn:sync365:problem:api.invalid_parameter' }) type: string;
  @ApiProperty({ example: 'That did not work' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ description: 'Stable code, MODULE.REASON', example: 'API.INVALID_PARAMETER' }) code: string;
  @ApiProperty({ example: 'limit: must be a whole number from 1 to 200' }) detail: string;
  @ApiPropertyOptional({ description: 'What to do about it' }) fix?: string;
  @ApiPropertyOptional({ description: 'The parameter at fault (400 only)', example: 'limit' }) field?: string;
  @ApiProperty({ example: '/api/v1/tenants' }) instance: string;
  @ApiPropertyOptional({ description: 'Give this to support' }) requestId?: string;
}
