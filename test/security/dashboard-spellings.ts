const hex = (char: string) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Every letter of every segment of `path` percent-encoded in turn (lower and upper case hex), and whole segments. */
function percentEncodings(path: string): string[] {
  const spellings: string[] = [];
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '/') continue;
    const code = hex(path[i]);
    spellings.push(
      path.slice(0, i) + code + path.slice(i + 1),
      path.slice(0, i) + code.toUpperCase() + path.slice(i + 1),
    );
  }
  const segments = path.split('/');
  segments.forEach((segment, index) => {
    if (!segment) return;
    const encoded = [...segment].map(hex).join('');
    spellings.push(segments.map((s, j) => (j === index ? encoded : s)).join('/'));
  });
  spellings.push(path.replaceAll('/', '%2f'), path.replace('/queues', '%2Fqueues'));
  return spellings;
}

/** Double slashes, dot segments, trailing slashes, case variants, `;` parameters and odd separators of `path`. */
function oddShapes(path: string): string[] {
  const slashes = [...path].flatMap((char, i) => (char === '/' ? [path.slice(0, i) + '/' + path.slice(i)] : []));
  const segments = path.split('/').filter(Boolean);
  const dots = segments.flatMap((_, i) => {
    const head = `/${segments.slice(0, i).join('/')}`.replace(/^\/$/, '');
    const tail = segments.slice(i).join('/');
    return [`${head}/./${tail}`, `${head}/x/../${tail}`, `${head}/%2e/${tail}`, `${head}/x/%2e%2e/${tail}`];
  });
  const params = segments.map((_, i) => `/${segments.map((s, j) => (j === i ? `${s};x=1` : s)).join('/')}`);
  return [
    ...slashes,
    ...dots,
    ...params,
    `${path}/`,
    `${path}//`,
    `${path};`,
    `${path}?x=1`,
    `${path}#x`,
    `${path}%00`,
    `${path}%20`,
    `${path}.`,
    path.toUpperCase(),
    path.replace('admin', 'Admin'),
    path.replace('queues', 'QUEUES'),
    path.replaceAll('/', '\\'),
    path.replace('/queues', '\\queues'),
  ];
}

/** Absolute-form and other non-path request targets for `path` (sent on a raw socket). */
export function absoluteForms(path: string, port: number): string[] {
  return [
    `http://x${path}`,
    `http://127.0.0.1:${port}${path}`,
    `HTTP://X${path}`,
    `https://x${path}`,
    `http://sre:correct-horse-battery-staple@x${path}`,
    `x${path}`,
    '*',
  ];
}

/** `path` in every spelling above, the true one included. */
export function spellingsOf(path: string): string[] {
  return [...new Set([path, ...percentEncodings(path), ...oddShapes(path)])];
}

/** The dashboard's page, API, one asset and one job. */
export const dashboardPaths = (jobId: string): string[] => [
  '/admin/queues',
  '/admin/queues/api/queues',
  `/admin/queues/api/queues/deletion-orchestrator/${jobId}`,
  '/admin/queues/static/images/logo.svg',
];

/** Dashboard actions (method and path) that change queues; each must stay unreachable without credentials. */
export const DASHBOARD_ACTIONS = [
  ['PUT', '/admin/queues/api/queues/pause'],
  ['PUT', '/admin/queues/api/queues/deletion-orchestrator/pause'],
  ['PUT', '/admin/queues/api/queues/deletion-orchestrator/empty'],
  ['PUT', '/admin/queues/api/queues/deletion-orchestrator/clean/delayed'],
  ['PUT', '/admin/queues/api/queues/deletion-orchestrator/obliterate'],
  ['PUT', '/admin/queues/api/queues/deletion-orchestrator/promote'],
] as const;
