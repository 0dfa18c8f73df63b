import { Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request } from 'express';
import hbs from 'hbs';
import { catchError, type Observable } from 'rxjs';
import { DomainError } from '../../domain/domain-error';
import type { Actor } from '../../application/actor';
import { domainErrorStatus, FormRedisplay } from '../http/error.filter';
import type { RequestWithActor } from './request-actor';

// One mechanism for every dashboard form: when what was submitted is refused (a DomainError answered with 400,
// 409 or 422), the same page is rendered again with that status, the input kept and the message beside the field
// it is about (aria-invalid, aria-describedby) — never an error page that loses what was typed.
//
//   @Post() @FormPage('webhook', 'pages/webhooks', (controller: WebhooksPageController, actor) => controller.list(actor))
//
// The view marks its fields with the helpers registered by registerFormHelpers (formValue, formInvalid,
// formGroupInvalid, formFieldError, formChecked, formSelected, formErrors), all keyed by the form's name, so other forms on the same
// page keep their own state.

export interface FormPageOptions<C = unknown> {
  form: string;
  view: string;
  // The page's view model, as its GET handler builds it (the controller instance, the signed-in staff actor, the
  // request). The licence portal's pages have no staff actor: they read their viewer from the request.
  model: (controller: C, actor: Actor, request: Request) => Promise<object> | object;
}

// What the re-rendered page gets as `submitted`.
export interface SubmittedForm {
  form: string;
  values: Record<string, string | string[]>;
  // Message (and fix) per field name.
  errors: Record<string, string>;
  // The refusal when it is about no one field.
  error: string | null;
}

const FORM_PAGE = 'sync365:form-page';
const FORM_STATUSES = new Set([400, 409, 422]);

export function FormPage<C>(form: string, view: string, model: FormPageOptions<C>['model']): MethodDecorator {
  return SetMetadata(FORM_PAGE, { form, view, model } satisfies FormPageOptions<C>);
}

// A refusal the person can fix in the form: the fields it names, or the whole form.
export function submittedForm(form: string, body: unknown, error: DomainError): SubmittedForm {
  const values: SubmittedForm['values'] = {};
  for (const [key, value] of Object.entries(body && typeof body === 'object' ? body : {})) {
    if (key === '_csrf') continue;
    if (typeof value === 'string') values[key] = value;
    else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string');
  }
  const text = [error.message, error.fix].filter(Boolean).join(' ');
  const field = (error as DomainError & { field?: unknown }).field;
  return typeof field === 'string' && field
    ? { form, values, errors: { [field]: text }, error: null }
    : { form, values, errors: {}, error: text };
}

@Injectable()
export class FormErrorsInterceptor implements NestInterceptor {
  constructor(private readonly moduleRef: ModuleRef) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const page = Reflect.getMetadata(FORM_PAGE, context.getHandler()) as FormPageOptions | undefined;
    if (!page) return next.handle();
    const request = context.switchToHttp().getRequest<RequestWithActor & Request>();
    return next.handle().pipe(
      catchError(async (error: unknown) => {
        if (!(error instanceof DomainError) || request.accepts(['html', 'json']) !== 'html') throw error;
        const status = domainErrorStatus(error);
        if (!FORM_STATUSES.has(status)) throw error;
        const controller: unknown = this.moduleRef.get(context.getClass(), { strict: false });
        const model = await page.model(controller, request.actor as Actor, request);
        throw new FormRedisplay(status, page.view, { ...model, submitted: submittedForm(page.form, request.body, error) });
      }),
    );
  }
}

type HelperOptions = { data?: { root?: { submitted?: SubmittedForm } } };

function submittedOf(form: string, options: HelperOptions): SubmittedForm | undefined {
  const submitted = options?.data?.root?.submitted;
  return submitted?.form === form ? submitted : undefined;
}

function errorId(form: string, field: string): string {
  return `${form}-${field}-error`;
}

// The view helpers of the mechanism. Last argument of every helper is Handlebars' options.
export function registerFormHelpers(): void {
  const { SafeString, escapeExpression } = hbs.handlebars;
  // The submitted value, else the page's default.
  hbs.registerHelper('formValue', (form: string, field: string, ...rest: unknown[]) => {
    const options = rest.pop() as HelperOptions;
    const submitted = submittedOf(form, options);
    if (submitted) return [submitted.values[field] ?? ''].flat()[0] ?? '';
    return rest[0] ?? '';
  });
  hbs.registerHelper('formInvalid', (form: string, field: string, options: HelperOptions) => {
    const submitted = submittedOf(form, options);
    return submitted?.errors[field]
      ? new SafeString(` aria-invalid="true" aria-describedby="${escapeExpression(errorId(form, field))}"`)
      : '';
  });
  // For a fieldset of checkboxes: a group takes no aria-invalid (ARIA 1.2), only the description.
  hbs.registerHelper('formGroupInvalid', (form: string, field: string, options: HelperOptions) => {
    const submitted = submittedOf(form, options);
    return submitted?.errors[field] ? new SafeString(` aria-describedby="${escapeExpression(errorId(form, field))}"`) : '';
  });
  hbs.registerHelper('formFieldError', (form: string, field: string, options: HelperOptions) => {
    const message = submittedOf(form, options)?.errors[field];
    return message
      ? new SafeString(`<span class="field-error" id="${escapeExpression(errorId(form, field))}">${escapeExpression(message)}</span>`)
      : '';
  });
  // `checked` for a checkbox: as submitted, else the page's default.
  hbs.registerHelper('formChecked', (form: string, field: string, value: string, defaultChecked: unknown, options: HelperOptions) => {
    const submitted = submittedOf(form, options);
    const checked = submitted ? [submitted.values[field] ?? []].flat().includes(value) : Boolean(defaultChecked);
    return checked ? new SafeString(' checked') : '';
  });
  hbs.registerHelper('formSelected', (form: string, field: string, value: string, defaultSelected: unknown, options: HelperOptions) => {
    const submitted = submittedOf(form, options);
    const selected = submitted ? [submitted.values[field] ?? []].flat().includes(value) : Boolean(defaultSelected);
    return selected ? new SafeString(' selected') : '';
  });
  // Above the form: the refusal that names no field, or a pointer to the fields marked below.
  hbs.registerHelper('formErrors', (form: string, options: HelperOptions) => {
    const submitted = submittedOf(form, options);
    if (!submitted) return '';
    const text =
      submitted.error ?? `Nothing was saved: correct the ${Object.keys(submitted.errors).length === 1 ? 'field' : 'fields'} marked below.`;
    return new SafeString(
      `<p class="flash flash--error form-error" role="alert" id="${escapeExpression(`${form}-error`)}">${escapeExpression(text)}</p>`,
    );
  });
}
