/**
 * DNS-rebinding defence for the HTTP endpoints: a browser page on another site must not reach a
 * server listening on localhost. Requests are accepted when the Host header names a local address
 * (or a configured public host) and, when a browser sends an Origin, that origin is local or listed.
 */
export interface OriginPolicy {
  /** Exact origins allowed besides local ones, e.g. https://encours.example.com. */
  allowedOrigins: string[];
  /** Host names allowed besides local ones (derived from allowed origins and the public URL). */
  allowedHosts: string[];
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Builds the policy from `ENCOURS_ALLOWED_ORIGINS` (comma-separated) and `ENCOURS_PUBLIC_URL`. */
export function originPolicy(allowedOriginsCsv: string | undefined, publicUrl?: string): OriginPolicy {
  const origins = (allowedOriginsCsv ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);
  if (publicUrl) origins.push(new URL(publicUrl).origin);
  const hosts = origins.flatMap((o) => {
    try {
      return [new URL(o).hostname.toLowerCase()];
    } catch {
      return [];
    }
  });
  return { allowedOrigins: [...new Set(origins)], allowedHosts: [...new Set(hosts)] };
}

/** The host name of a Host header value ("localhost:3000" -> "localhost", "[::1]:80" -> "[::1]"). */
function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.split(':')[0] ?? '';
}

/** Null when the request may proceed, else the reason it is refused. */
export function checkOrigin(
  policy: OriginPolicy,
  host: string | undefined,
  origin: string | undefined,
): string | null {
  if (!host) return 'missing Host header';
  const name = hostName(host);
  if (!LOCAL_HOSTS.has(name) && !policy.allowedHosts.includes(name))
    return `host "${name}" is not allowed; add its origin to ENCOURS_ALLOWED_ORIGINS`;
  if (origin === undefined) return null; // not a browser: nothing to rebind
  if (policy.allowedOrigins.includes(origin.replace(/\/+$/, ''))) return null;
  try {
    const url = new URL(origin);
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      LOCAL_HOSTS.has(url.hostname.toLowerCase())
    )
      return null;
  } catch {
    return `malformed Origin "${origin}"`;
  }
  return `origin "${origin}" is not allowed; add it to ENCOURS_ALLOWED_ORIGINS`;
}
