using System.Globalization;
using System.Text;

namespace Sotto.E2ee.Messages;

/// <summary>
/// Writes a flat JSON object byte for byte as JavaScript's <c>JSON.stringify</c> does (ES2019
/// well-formed stringify): only '"', '\\', control characters and lone surrogates are escaped;
/// everything else — '&lt;', Cyrillic, emoji — is written as UTF-8. [System.Text.Json's encoders
/// always escape astral characters, so the same hello would differ between the implementations.]
/// </summary>
internal sealed class JsonText
{
    private readonly StringBuilder _text = new("{");

    public JsonText String(string name, string value)
    {
        Name(name);
        AppendString(value);
        return this;
    }

    public JsonText Number(string name, ulong value)
    {
        Name(name);
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    public JsonText Boolean(string name, bool value)
    {
        Name(name);
        _text.Append(value ? "true" : "false");
        return this;
    }

    public byte[] ToUtf8()
    {
        _text.Append('}');
        return Encoding.UTF8.GetBytes(_text.ToString());
    }

    private void Name(string name)
    {
        if (_text.Length > 1)
            _text.Append(',');
        AppendString(name);
        _text.Append(':');
    }

    private void AppendString(string value)
    {
        _text.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char ch = value[i];
            switch (ch)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (ch < 0x20)
                        _text.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    else if (char.IsHighSurrogate(ch) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                        _text.Append(ch).Append(value[++i]);
                    else if (char.IsSurrogate(ch))
                        _text.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture)); // lone surrogate
                    else
                        _text.Append(ch);
                    break;
            }
        }
        _text.Append('"');
    }
}
