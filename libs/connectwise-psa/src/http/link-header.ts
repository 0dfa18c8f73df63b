// RFC 8288 Link header as ConnectWise sends it (LAZY, CWDOC PSA-Pagination):
// <https://host/v4_6_release/apis/3.0/company/companies?pageSize=1000&page=2>; rel="next", <…&page=4>; rel="last"
export type LinkRelations = Partial<Record<'first' | 'prev' | 'next' | 'last', string>> & Record<string, string | undefined>;

export function parseLinkHeader(value: string | null | undefined): LinkRelations {
  const links: LinkRelations = {};
  if (!value) return links;
  // Split on commas between entries only (a URL may hold a comma inside its <…>).
  for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2])?.[1];
    if (!rel) continue;
    for (const name of rel.trim().split(/\s+/)) links[name.toLowerCase()] = match[1];
  }
  return links;
}
