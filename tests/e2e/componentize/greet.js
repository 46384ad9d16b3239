// A component made from JavaScript by componentize-js (SpiderMonkey inside).
export function greet(name) {
  const words = ['Hello', name].map((w) => w.trim());
  return `${words.join(', ')}! (${name.length} characters)`;
}

export function shout(name) {
  console.log(name);
  return name.toUpperCase();
}
