/**
 * Parser for the `WWW-Authenticate` header (RFC 9110 §11.6.1, challenge grammar §11.2–11.3).
 *
 * One header value may hold several challenges separated by commas, and the commas between a
 * challenge's auth-params look the same, so the parser decides by lookahead: a token followed
 * by `=` continues the current challenge, a token that is not starts the next one. Values are
 * tokens or quoted-strings whose backslash escapes (quoted-pair, RFC 9110 §5.6.4) are undone, so
 * `scope="repository:a,b:pull"` keeps its comma. Scheme and parameter names are
 * case-insensitive and come back lowercased. Malformed input ends parsing: the complete
 * challenges before it are kept, the malformed one is dropped rather than half-read.
 */

export interface AuthChallenge {
  /** Lowercased auth-scheme, e.g. `bearer`, `basic`. */
  readonly scheme: string;
  /** Auth-params by lowercased name; the first occurrence of a repeated name wins. */
  readonly params: ReadonlyMap<string, string>;
  /** The token68 form (`Negotiate abc==`), when the challenge uses it instead of params. */
  readonly token68?: string;
}

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*/;

export function parseAuthChallenges(header: string): AuthChallenge[] {
  const challenges: AuthChallenge[] = [];
  let at = 0;

  const skip = (chars: string): void => {
    while (at < header.length && chars.includes(header[at]!)) at++;
  };
  const readToken = (): string => {
    const start = at;
    while (at < header.length && TCHAR.test(header[at]!)) at++;
    return header.slice(start, at);
  };
  const readQuoted = (): string | undefined => {
    let value = '';
    for (at++; at < header.length; at++) {
      const char = header[at]!;
      if (char === '"') {
        at++;
        return value;
      }
      if (char === '\\' && at + 1 < header.length) at++;
      value += header[at];
    }
    return undefined;
  };
  /** After an item, only optional whitespace then a comma or the end may follow. */
  const atItemEnd = (): boolean => {
    skip(' \t');
    return at >= header.length || header[at] === ',';
  };

  for (;;) {
    skip(' \t,');
    if (at >= header.length) return challenges;
    const scheme = readToken();
    if (scheme === '') return challenges;
    const params = new Map<string, string>();
    let token68: string | undefined;
    skip(' \t');

    const token68Match = TOKEN68.exec(header.slice(at));
    if (token68Match) {
      const start = at;
      at += token68Match[0].length;
      if (atItemEnd()) token68 = token68Match[0];
      else at = start;
    }

    while (token68 === undefined) {
      skip(' \t,');
      const paramStart = at;
      const name = readToken();
      skip(' \t');
      if (name === '' || header[at] !== '=') {
        at = paramStart;
        break;
      }
      at++;
      skip(' \t');
      const value = header[at] === '"' ? readQuoted() : readToken();
      if (value === undefined || !atItemEnd()) return challenges;
      const key = name.toLowerCase();
      if (!params.has(key)) params.set(key, value);
    }
    const lowered = scheme.toLowerCase();
    challenges.push(token68 === undefined ? { scheme: lowered, params } : { scheme: lowered, params, token68 });
  }
}
