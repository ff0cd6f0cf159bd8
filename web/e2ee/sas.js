// Short authentication strings as 7 emoji (E2EE-SPEC.md §S4.6, §S8): the Matrix m.sas.v1 table
// with English and Russian names. The table is testdata/sas-emoji.json (matrix-org/matrix-spec,
// data-definitions/sas-emoji.json) copied into code so the browser needs no JSON import;
// sas.test.js checks that the two agree. Two Russian names are overridden so every name is
// distinct when read aloud: #34 Spanner «Ключ» collides with #47 Key «Ключ», #39 Clock «Часы» is
// too close to #38 «Песочные часы».

/** [emoji, English name, Russian name (as in the source table)], index = SAS number. */
const TABLE = Object.freeze([
  ["🐶", "Dog", "Собака"],  // 0
  ["🐱", "Cat", "Кошка"],  // 1
  ["🦁", "Lion", "Лев"],  // 2
  ["🐎", "Horse", "Лошадь"],  // 3
  ["🦄", "Unicorn", "Единорог"],  // 4
  ["🐷", "Pig", "Свинья"],  // 5
  ["🐘", "Elephant", "Слон"],  // 6
  ["🐰", "Rabbit", "Кролик"],  // 7
  ["🐼", "Panda", "Панда"],  // 8
  ["🐓", "Rooster", "Петух"],  // 9
  ["🐧", "Penguin", "Пингвин"],  // 10
  ["🐢", "Turtle", "Черепаха"],  // 11
  ["🐟", "Fish", "Рыба"],  // 12
  ["🐙", "Octopus", "Осьминог"],  // 13
  ["🦋", "Butterfly", "Бабочка"],  // 14
  ["🌷", "Flower", "Цветок"],  // 15
  ["🌳", "Tree", "Дерево"],  // 16
  ["🌵", "Cactus", "Кактус"],  // 17
  ["🍄", "Mushroom", "Гриб"],  // 18
  ["🌏", "Globe", "Глобус"],  // 19
  ["🌙", "Moon", "Луна"],  // 20
  ["☁️", "Cloud", "Облако"],  // 21
  ["🔥", "Fire", "Огонь"],  // 22
  ["🍌", "Banana", "Банан"],  // 23
  ["🍎", "Apple", "Яблоко"],  // 24
  ["🍓", "Strawberry", "Клубника"],  // 25
  ["🌽", "Corn", "Кукуруза"],  // 26
  ["🍕", "Pizza", "Пицца"],  // 27
  ["🎂", "Cake", "Торт"],  // 28
  ["❤️", "Heart", "Сердце"],  // 29
  ["😀", "Smiley", "Улыбка"],  // 30
  ["🤖", "Robot", "Робот"],  // 31
  ["🎩", "Hat", "Шляпа"],  // 32
  ["👓", "Glasses", "Очки"],  // 33
  ["🔧", "Spanner", "Ключ"],  // 34
  ["🎅", "Santa", "Санта"],  // 35
  ["👍", "Thumbs Up", "Большой палец вверх"],  // 36
  ["☂️", "Umbrella", "Зонт"],  // 37
  ["⌛", "Hourglass", "Песочные часы"],  // 38
  ["⏰", "Clock", "Часы"],  // 39
  ["🎁", "Gift", "Подарок"],  // 40
  ["💡", "Light Bulb", "Лампочка"],  // 41
  ["📕", "Book", "Книга"],  // 42
  ["✏️", "Pencil", "Карандаш"],  // 43
  ["📎", "Paperclip", "Скрепка"],  // 44
  ["✂️", "Scissors", "Ножницы"],  // 45
  ["🔒", "Lock", "Замок"],  // 46
  ["🔑", "Key", "Ключ"],  // 47
  ["🔨", "Hammer", "Молоток"],  // 48
  ["☎️", "Telephone", "Телефон"],  // 49
  ["🏁", "Flag", "Флаг"],  // 50
  ["🚂", "Train", "Поезд"],  // 51
  ["🚲", "Bicycle", "Велосипед"],  // 52
  ["✈️", "Aeroplane", "Самолет"],  // 53
  ["🚀", "Rocket", "Ракета"],  // 54
  ["🏆", "Trophy", "Кубок"],  // 55
  ["⚽", "Ball", "Мяч"],  // 56
  ["🎸", "Guitar", "Гитара"],  // 57
  ["🎺", "Trumpet", "Труба"],  // 58
  ["🔔", "Bell", "Колокол"],  // 59
  ["⚓", "Anchor", "Якорь"],  // 60
  ["🎧", "Headphones", "Наушники"],  // 61
  ["📁", "Folder", "Папка"],  // 62
  ["📌", "Pin", "Булавка"],  // 63
]);

/** §S4.6 overrides of the source's Russian names. */
export const RUSSIAN_OVERRIDES = Object.freeze({ 34: 'Гаечный ключ', 39: 'Будильник' });

/** The 64 entries as {number, emoji, en, ru}, overrides applied. */
export const SAS_EMOJI = Object.freeze(TABLE.map(([emoji, en, ru], number) =>
  Object.freeze({ number, emoji, en, ru: RUSSIAN_OVERRIDES[number] ?? ru })));

export const SAS_BYTES = 6;
export const SAS_EMOJI_COUNT = 7;

/**
 * The 7 emoji indices of 6 SAS bytes: emoji i = (u48(sas) >> (42 − 6i)) & 63, i = 0..6 — the
 * first 42 of the 48 bits, most significant first (§S4.6; 0123456789ab → [0, 18, 13, 5, 25, 56, 38]).
 */
export function emojiIndices(sas) {
  if (!(sas instanceof Uint8Array) || sas.length !== SAS_BYTES) throw new RangeError('a SAS is 6 bytes');
  let value = 0n;
  for (const b of sas) value = (value << 8n) | BigInt(b);
  const out = [];
  for (let i = 0; i < SAS_EMOJI_COUNT; i++) out.push(Number((value >> BigInt(42 - 6 * i)) & 63n));
  return out;
}

/** The 7 emoji of a SAS with their names: [{number, emoji, en, ru}]. */
export function sasEmoji(sas) {
  return emojiIndices(sas).map((index) => SAS_EMOJI[index]);
}
