namespace Sotto.E2ee.Codes;

/// <summary>One entry of the Matrix SAS emoji table: number, glyph, English and Russian name.</summary>
internal sealed record SasEmoji(int Number, string Emoji, string English, string Russian);

/// <summary>
/// The 64-emoji table of the Matrix specification (matrix-org/matrix-spec,
/// data-definitions/sas-emoji.json; vectors/sas-emoji.json) with the two Russian overrides of
/// §S4.6: #34 «Гаечный ключ» (the source's «Ключ» collides with #47) and #39 «Будильник» (the
/// source's name is too close to #38 «Песочные часы» read aloud).
/// </summary>
internal static class SasEmojiTable
{
    public const int EmojiCount = 7;

    public static IReadOnlyList<SasEmoji> All { get; } =
    [
        new(0, "🐶", "Dog", "Собака"),
        new(1, "🐱", "Cat", "Кошка"),
        new(2, "🦁", "Lion", "Лев"),
        new(3, "🐎", "Horse", "Лошадь"),
        new(4, "🦄", "Unicorn", "Единорог"),
        new(5, "🐷", "Pig", "Свинья"),
        new(6, "🐘", "Elephant", "Слон"),
        new(7, "🐰", "Rabbit", "Кролик"),
        new(8, "🐼", "Panda", "Панда"),
        new(9, "🐓", "Rooster", "Петух"),
        new(10, "🐧", "Penguin", "Пингвин"),
        new(11, "🐢", "Turtle", "Черепаха"),
        new(12, "🐟", "Fish", "Рыба"),
        new(13, "🐙", "Octopus", "Осьминог"),
        new(14, "🦋", "Butterfly", "Бабочка"),
        new(15, "🌷", "Flower", "Цветок"),
        new(16, "🌳", "Tree", "Дерево"),
        new(17, "🌵", "Cactus", "Кактус"),
        new(18, "🍄", "Mushroom", "Гриб"),
        new(19, "🌏", "Globe", "Глобус"),
        new(20, "🌙", "Moon", "Луна"),
        new(21, "☁️", "Cloud", "Облако"),
        new(22, "🔥", "Fire", "Огонь"),
        new(23, "🍌", "Banana", "Банан"),
        new(24, "🍎", "Apple", "Яблоко"),
        new(25, "🍓", "Strawberry", "Клубника"),
        new(26, "🌽", "Corn", "Кукуруза"),
        new(27, "🍕", "Pizza", "Пицца"),
        new(28, "🎂", "Cake", "Торт"),
        new(29, "❤️", "Heart", "Сердце"),
        new(30, "😀", "Smiley", "Улыбка"),
        new(31, "🤖", "Robot", "Робот"),
        new(32, "🎩", "Hat", "Шляпа"),
        new(33, "👓", "Glasses", "Очки"),
        new(34, "🔧", "Spanner", "Гаечный ключ"),
        new(35, "🎅", "Santa", "Санта"),
        new(36, "👍", "Thumbs Up", "Большой палец вверх"),
        new(37, "☂️", "Umbrella", "Зонт"),
        new(38, "⌛", "Hourglass", "Песочные часы"),
        new(39, "⏰", "Clock", "Будильник"),
        new(40, "🎁", "Gift", "Подарок"),
        new(41, "💡", "Light Bulb", "Лампочка"),
        new(42, "📕", "Book", "Книга"),
        new(43, "✏️", "Pencil", "Карандаш"),
        new(44, "📎", "Paperclip", "Скрепка"),
        new(45, "✂️", "Scissors", "Ножницы"),
        new(46, "🔒", "Lock", "Замок"),
        new(47, "🔑", "Key", "Ключ"),
        new(48, "🔨", "Hammer", "Молоток"),
        new(49, "☎️", "Telephone", "Телефон"),
        new(50, "🏁", "Flag", "Флаг"),
        new(51, "🚂", "Train", "Поезд"),
        new(52, "🚲", "Bicycle", "Велосипед"),
        new(53, "✈️", "Aeroplane", "Самолет"),
        new(54, "🚀", "Rocket", "Ракета"),
        new(55, "🏆", "Trophy", "Кубок"),
        new(56, "⚽", "Ball", "Мяч"),
        new(57, "🎸", "Guitar", "Гитара"),
        new(58, "🎺", "Trumpet", "Труба"),
        new(59, "🔔", "Bell", "Колокол"),
        new(60, "⚓", "Anchor", "Якорь"),
        new(61, "🎧", "Headphones", "Наушники"),
        new(62, "📁", "Folder", "Папка"),
        new(63, "📌", "Pin", "Булавка"),
    ];

    /// <summary>
    /// The 7 indices of a 6-byte code: emoji i = (u48(code) &gt;&gt; (42 − 6i)) &amp; 63 (§S4.6), i.e.
    /// the first 42 bits in 6-bit groups, most significant first.
    /// </summary>
    public static int[] Indices(ReadOnlySpan<byte> code)
    {
        if (code.Length != 6)
            throw new ArgumentException("a SAS or room code is 6 bytes", nameof(code));
        ulong value = 0;
        foreach (byte b in code)
            value = value << 8 | b;
        var indices = new int[EmojiCount];
        for (int i = 0; i < EmojiCount; i++)
            indices[i] = (int)(value >> (42 - 6 * i) & 63);
        return indices;
    }

    public static SasEmoji[] Emoji(ReadOnlySpan<byte> code) => [.. Indices(code).Select(i => All[i])];
}
