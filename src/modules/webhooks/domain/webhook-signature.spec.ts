import { signatureHeader } from './webhook-signature';

describe('webhook signatures', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256 keyed by the whole secret (vector computed with openssl dgst -sha256 -hmac)', () => {
    const body = '{"id":"evt_1","type":"webhook.test"}';
    expect(signatureHeader('whsec_c2VjcmV0LWZvci10ZXN0cw', body, 1764201600)).toBe(
      't=1764201600,v1=8c7e2cca0da5188be66585cf2a82435c121d7ae8ca14e5af554df55377e99540',
    );
  });

  it('changes with the timestamp, the body and the secret', () => {
    const base = signatureHeader('secret-a', '{}', 1);
    expect(signatureHeader('secret-a', '{}', 2).split('v1=')[1]).not.toBe(base.split('v1=')[1]);
    expect(signatureHeader('secret-a', '{ }', 1)).not.toBe(base);
    expect(signatureHeader('secret-b', '{}', 1)).not.toBe(base);
  });
});
