// Small pieces of the sentences partner admins read.

export function seats(count: number): string {
  return `${count} ${count === 1 ? 'seat' : 'seats'}`;
}

export function users(count: number): string {
  return `${count} ${count === 1 ? 'user' : 'users'}`;
}

export function signed(delta: number): string {
  return delta > 0 ? `+${delta}` : String(delta);
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

// 'a' or 'an' before a product name, by its first letter ('an Office 365 E3 licence', 'a Microsoft 365 E3 licence').
export function article(word: string): string {
  return /^[aeiou]/i.test(word.trim()) ? 'an' : 'a';
}
