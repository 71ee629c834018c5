/** The base a request's path is resolved against; a target that names another host is refused. */
const BASE = new URL('http://console.invalid');

/**
 * The URL of a request-target in origin form (`/path?query`, what a browser sends to this
 * host), or null for anything else: `//`, `/\` and `http://[` make the URL parser throw, and
 * `//other/` or `/\other/` would read as another host's path. The server answers null with a
 * 400 before it looks at anything else, so no later step has to parse the target again.
 */
export function parseRequestTarget(target: string | undefined): URL | null {
  if (target === undefined || !target.startsWith('/')) return null;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return null;
  }
  return url.host === BASE.host ? url : null;
}
