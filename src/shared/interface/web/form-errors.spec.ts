import hbs from 'hbs';
import { DomainError } from '../../domain/domain-error';
import { registerFormHelpers, submittedForm } from './form-errors';

class NameRefused extends DomainError {
  readonly code = 'TEST.NAME_INVALID';
  readonly field = 'name';
}

class LimitReached extends DomainError {
  readonly code = 'TEST.LIMIT_REACHED';
}

describe('the shared form-error mechanism', () => {
  beforeAll(() => registerFormHelpers());

  it('keeps what was submitted (never the CSRF token) and puts the message beside the field it names', () => {
    const submitted = submittedForm(
      'key',
      { _csrf: 'secret', name: 'Billing <export>', scopes: ['read:tenants', 'write:sync'] },
      new NameRefused('Too long.', 'Shorten it.'),
    );
    expect(submitted).toEqual({
      form: 'key',
      values: { name: 'Billing <export>', scopes: ['read:tenants', 'write:sync'] },
      errors: { name: 'Too long. Shorten it.' },
      error: null,
    });
    expect(submittedForm('key', {}, new LimitReached('Too many.'))).toEqual({ form: 'key', values: {}, errors: {}, error: 'Too many.' });
  });

  it('renders the input again, escaped, marked invalid and described by its message; other forms on the page are untouched', () => {
    const template = hbs.handlebars.compile(
      `{{formErrors 'key'}}<input name="name" value="{{formValue 'key' 'name' 'default'}}"{{formInvalid 'key' 'name'}}>{{formFieldError 'key' 'name'}}` +
        `<input type="checkbox" value="read:tenants"{{formChecked 'key' 'scopes' 'read:tenants' false}}><input type="checkbox" value="read:licenses"{{formChecked 'key' 'scopes' 'read:licenses' true}}>` +
        `<input name="other" value="{{formValue 'other' 'name' 'untouched'}}"{{formInvalid 'other' 'name'}}>`,
    );
    const html = template({
      submitted: submittedForm('key', { name: 'Billing <export>', scopes: 'read:tenants' }, new NameRefused('Say "why".')),
    });
    expect(html).toContain(
      '<p class="flash flash--error form-error" role="alert" id="key-error">Nothing was saved: correct the field marked below.</p>',
    );
    expect(html).toContain(
      '<input name="name" value="Billing &lt;export&gt;" aria-invalid="true" aria-describedby="key-name-error"><span class="field-error" id="key-name-error">Say &quot;why&quot;.</span>',
    );
    expect(html).toContain('<input type="checkbox" value="read:tenants" checked><input type="checkbox" value="read:licenses">');
    expect(html).toContain('<input name="other" value="untouched">');
  });

  it('shows the page defaults when nothing was submitted', () => {
    const html = hbs.handlebars.compile(
      `{{formErrors 'key'}}<input value="{{formValue 'key' 'name' 'default'}}"{{formInvalid 'key' 'name'}}><input type="checkbox"{{formChecked 'key' 'scopes' 'a' true}}>`,
    )({});
    expect(html).toBe('<input value="default"><input type="checkbox" checked>');
  });
});
