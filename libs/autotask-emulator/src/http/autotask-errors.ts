import type { Response } from 'express';

// Autotask's error body: {"errors":["…"]} [KT]. The messages' wording is the emulator's own (Autotask's exact
// words are not documented).
export function sendErrors(res: Response, status: number, ...messages: string[]): void {
  if (res.headersSent) return;
  res
    .status(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ errors: messages }));
}

// ASP.NET Web API's answer for a route or method it does not have (Autotask's REST service is one; see
// Anteris-Dev/autotask-client#12 for its 405 body).
export function sendNoRoute(res: Response, method: string, url: string, methodNotAllowed: boolean): void {
  if (res.headersSent) return;
  if (methodNotAllowed) {
    res.status(405).json({ Message: `The requested resource does not support http method '${method}'.` });
    return;
  }
  res.status(404).json({ Message: `No HTTP resource was found that matches the request URI '${url}'.` });
}
