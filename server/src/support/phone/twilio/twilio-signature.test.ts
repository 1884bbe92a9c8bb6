import { describe, expect, it } from 'vitest';
import { isValidTwilioSignature, twilioSignature } from './twilio-signature.js';

// The worked example of Twilio's "Webhooks security" documentation: its auth token, URL, POST
// parameters and the signature Twilio sends for them.
const authToken = '12345';
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+12349013030',
  Digits: '1234',
  From: '+12349013030',
  To: '+18005551212',
};

describe('Twilio request signatures', () => {
  it('computes the signature of the documented example', () => {
    expect(twilioSignature(authToken, url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('accepts the documented signature and refuses a forged or altered one', () => {
    expect(isValidTwilioSignature(authToken, url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
    expect(isValidTwilioSignature(authToken, url, params, undefined)).toBe(false);
    expect(isValidTwilioSignature(authToken, url, params, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBe(false);
    expect(isValidTwilioSignature('another-token', url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
    expect(isValidTwilioSignature(authToken, url, { ...params, Digits: '9999' }, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
    expect(isValidTwilioSignature(authToken, `${url}&baz=3`, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
  });
});
