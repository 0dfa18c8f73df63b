import type { ArgumentsHost } from '@nestjs/common';
import { NotFoundException } from '@nestjs/common';
import { DomainError } from '../../domain/domain-error';
import { ErrorFilter } from './error.filter';

class SeatsExhaustedError extends DomainError {
  readonly code = 'LICENSING.SEATS_EXHAUSTED';
}

function respond(exception: unknown, accept: string, path = '/customers') {
  const sent: { status?: number; view?: string; locals?: Record<string, unknown>; json?: Record<string, unknown>; type?: string } = {};
  const response = {
    headersSent: false,
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    json(body: Record<string, unknown>) {
      sent.json = body;
      return this;
    },
    render(view: string, locals: Record<string, unknown>) {
      sent.view = view;
      sent.locals = locals;
    },
    redirect() {
      throw new Error('unexpected redirect');
    },
  };
  const request = {
    id: 'req-1',
    method: 'GET',
    path,
    originalUrl: `${path}?x=1`,
    accepts: (types: string[]) => (accept.includes('html') ? 'html' : types[1]),
    session: undefined,
  };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  new ErrorFilter().catch(exception, host);
  return sent;
}

describe('error responses', () => {
  it('renders a friendly page without the error details for an unexpected failure', () => {
    const sent = respond(new Error('connection terminated: password=hunter2'), 'text/html');
    expect(sent.status).toBe(500);
    expect(sent.view).toBe('errors/error');
    expect(sent.locals).toMatchObject({ title: 'Something went wrong on our side', reference: 'req-1' });
    expect(JSON.stringify(sent.locals)).not.toContain('hunter2');
  });

  it('answers the API with RFC 7807 JSON carrying the stable code and the fix', () => {
    const sent = respond(new SeatsExhaustedError('No seats left.', 'Buy more seats.'), 'application/json', '/api/licences');
    expect(sent.type).toBe('application/problem+json');
    expect(sent.json).toEqual({
      type: 'urn:sync365:problem:licensing.seats_exhausted',
      title: 'That did not work',
      status: 422,
      code: 'LICENSING.SEATS_EXHAUSTED',
      detail: 'No seats left.',
      fix: 'Buy more seats.',
      instance: '/api/licences',
      requestId: 'req-1',
    });
  });

  it('shows a not-found page for an unknown address', () => {
    const sent = respond(new NotFoundException(), 'text/html', '/nowhere');
    expect(sent.status).toBe(404);
    expect(sent.locals).toMatchObject({ code: 'HTTP.NOT_FOUND', title: 'Page not found' });
  });
});
