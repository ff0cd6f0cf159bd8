using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// Reads SDP text line by line and enforces the order of RFC 8866 §5:
/// <code>
/// session:  v o s [i] [u] *e *p [c] *b 1*(t *r) [z] [k] *a
/// media:    m [i] *c *b [k] *a
/// </code>
/// Every failure returns false with "line N: ..." — nothing here throws on input. Lines end in CRLF;
/// a bare LF is accepted too (RFC 8866 §5 asks parsers to be tolerant of it).
/// </summary>
internal static class SdpParser
{
    private const string SessionOrder = "vosiuepcbtrzka";
    private const string MediaOrder = "icbka";

    public static bool TryParse(ReadOnlySpan<byte> utf8, SdpLimits limits, [NotNullWhen(true)] out SessionDescription? description, out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        description = null;
        if (utf8.Length > limits.MaxLength)
        {
            error = $"description is {utf8.Length} bytes, more than the limit of {limits.MaxLength}";
            return false;
        }
        if (!Utf8.IsValid(utf8))
        {
            error = "description is not valid UTF-8";
            return false;
        }
        return TryParse(Encoding.UTF8.GetString(utf8), limits, out description, out error);
    }

    public static bool TryParse(string text, SdpLimits limits, [NotNullWhen(true)] out SessionDescription? description, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        description = null;
        if (text.Length > limits.MaxLength)
        {
            error = $"description is {text.Length} characters, more than the limit of {limits.MaxLength}";
            return false;
        }
        if (text.Length == 0)
        {
            error = "description is empty";
            return false;
        }
        var state = new State(limits);
        var position = 0;
        var lineNumber = 0;
        while (position < text.Length)
        {
            var newline = text.IndexOf('\n', position);
            var end = newline < 0 ? text.Length : newline;
            var contentEnd = end > position && text[end - 1] == '\r' ? end - 1 : end;
            var line = text.AsSpan(position, contentEnd - position);
            position = newline < 0 ? text.Length : newline + 1;
            lineNumber++;
            if (lineNumber > limits.MaxLines)
            {
                error = $"line {lineNumber}: more than {limits.MaxLines} lines";
                return false;
            }
            if (line.IsEmpty)
            {
                // Tolerate blank lines only at the very end (a trailing CRLF written twice).
                if (text.AsSpan(position).Trim("\r\n").IsEmpty)
                {
                    break;
                }
                error = $"line {lineNumber}: empty line";
                return false;
            }
            if (!state.TryReadLine(line, out var reason))
            {
                error = $"line {lineNumber}: {reason}";
                return false;
            }
        }
        return state.TryFinish(lineNumber, out description, out error);
    }

    /// <summary>The description under construction and where in the grammar the reader is.</summary>
    private sealed class State(SdpLimits limits)
    {
        // Session level.
        private bool _seenVersion;
        private SdpOrigin? _origin;
        private string? _sessionName;
        private string? _information;
        private string? _uri;
        private readonly List<string> _emails = [];
        private readonly List<string> _phones = [];
        private SdpConnection? _connection;
        private readonly List<SdpBandwidth> _bandwidths = [];
        private readonly List<SdpTiming> _timings = [];
        private readonly List<string> _repeats = [];
        private string? _timeZones;
        private string? _key;
        private readonly List<SdpAttribute> _attributes = [];
        private readonly List<MediaDescription> _media = [];

        // Current media section.
        private MediaDescription? _current;
        private string? _mediaTitle;
        private readonly List<SdpConnection> _mediaConnections = [];
        private readonly List<SdpBandwidth> _mediaBandwidths = [];
        private string? _mediaKey;
        private readonly List<SdpAttribute> _mediaAttributes = [];

        /// <summary>Index in SessionOrder or MediaOrder of the last line read; -1 before any.</summary>
        private int _last = -1;

        public bool TryReadLine(ReadOnlySpan<char> line, out string? error)
        {
            // <type>=<value>: one lowercase letter, no whitespace on either side of '=' (RFC 8866 §5).
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = $"expected '<type>=<value>', found {SdpText.Quote(line)}";
                return false;
            }
            foreach (var c in line)
            {
                if (c is '\r' or '\0')
                {
                    error = "text contains a CR or NUL character";
                    return false;
                }
            }
            var type = line[0];
            var value = line[2..].ToString();
            if (!_seenVersion)
            {
                if (type != 'v' || value != "0")
                {
                    error = "a description must start with 'v=0'";
                    return false;
                }
                _seenVersion = true;
                _last = 0;
                error = null;
                return true;
            }
            if (type == 'm')
            {
                return TryStartMedia(value, out error);
            }
            return _current is null ? TryReadSessionLine(type, value, out error) : TryReadMediaLine(type, value, out error);
        }

        private bool TryReadSessionLine(char type, string value, out string? error)
        {
            var index = SessionOrder.IndexOf(type, StringComparison.Ordinal);
            if (index < 0)
            {
                error = $"unknown line type '{type}=' (RFC 8866 §5: a description with a type letter the parser does not understand is rejected)";
                return false;
            }
            // A new t= may follow the r= lines of the previous one: 1*(t= *r=).
            var tAfterR = type == 't' && _last == SessionOrder.IndexOf('r', StringComparison.Ordinal);
            if (index < _last && !tAfterR)
            {
                error = $"'{type}=' is out of order (session lines go v o s i u e p c b t r z k a)";
                return false;
            }
            if (index == _last && type is 'v' or 'o' or 's' or 'i' or 'u' or 'c' or 'z' or 'k')
            {
                error = $"'{type}=' appears twice";
                return false;
            }
            if (index > SessionOrder.IndexOf('t', StringComparison.Ordinal) && _timings.Count == 0)
            {
                error = $"'{type}=' before any 't=' line";
                return false;
            }
            if (index > SessionOrder.IndexOf('s', StringComparison.Ordinal) && _sessionName is null)
            {
                error = $"'{type}=' before the 'o=' and 's=' lines";
                return false;
            }
            _last = index;
            switch (type)
            {
                case 'o':
                    return Set(SdpOrigin.TryParse(value, out _origin, out var reason), type, reason, out error);
                case 's':
                    if (_origin is null)
                    {
                        error = "'s=' before 'o='";
                        return false;
                    }
                    // RFC 8866 §5.3: s= must not be empty; "s= " (a single space) is the allowed blank.
                    if (value.Length == 0)
                    {
                        error = "s= session name is empty";
                        return false;
                    }
                    _sessionName = value;
                    break;
                case 'i':
                    _information = value;
                    break;
                case 'u':
                    _uri = value;
                    break;
                case 'e':
                    _emails.Add(value);
                    break;
                case 'p':
                    _phones.Add(value);
                    break;
                case 'c':
                    return Set(SdpConnection.TryParse(value, out _connection, out reason), type, reason, out error);
                case 'b':
                    return AddBandwidth(value, _bandwidths, out error);
                case 't':
                    FlushRepeats();
                    if (!SdpTiming.TryParse(value, out var timing, out reason))
                    {
                        return Set(false, type, reason, out error);
                    }
                    _timings.Add(timing);
                    break;
                case 'r':
                    _repeats.Add(value);
                    break;
                case 'z':
                    _timeZones = value;
                    break;
                case 'k':
                    _key = value;
                    break;
                case 'a':
                    return AddAttribute(value, _attributes, out error);
            }
            error = null;
            return true;
        }

        private bool TryStartMedia(string value, out string? error)
        {
            if (!TryCheckSessionComplete(out error))
            {
                return false;
            }
            FlushMedia();
            if (_media.Count >= limits.MaxMediaDescriptions)
            {
                error = $"more than {limits.MaxMediaDescriptions} m= sections";
                return false;
            }
            if (!TryParseMediaLine(value, out _current, out var reason))
            {
                error = "m= " + reason;
                return false;
            }
            _last = -1;
            return true;
        }

        private bool TryReadMediaLine(char type, string value, out string? error)
        {
            var index = MediaOrder.IndexOf(type, StringComparison.Ordinal);
            if (index < 0)
            {
                error = SessionOrder.Contains(type, StringComparison.Ordinal)
                    ? $"'{type}=' is a session-level line and cannot follow 'm='"
                    : $"unknown line type '{type}=' (RFC 8866 §5: a description with a type letter the parser does not understand is rejected)";
                return false;
            }
            if (index < _last)
            {
                error = $"'{type}=' is out of order (media lines go m i c b k a)";
                return false;
            }
            if (index == _last && type is 'i' or 'k')
            {
                error = $"'{type}=' appears twice in one media section";
                return false;
            }
            _last = index;
            switch (type)
            {
                case 'i':
                    _mediaTitle = value;
                    break;
                case 'c':
                    if (!SdpConnection.TryParse(value, out var connection, out var reason))
                    {
                        return Set(false, type, reason, out error);
                    }
                    _mediaConnections.Add(connection);
                    break;
                case 'b':
                    return AddBandwidth(value, _mediaBandwidths, out error);
                case 'k':
                    _mediaKey = value;
                    break;
                case 'a':
                    return AddAttribute(value, _mediaAttributes, out error);
            }
            error = null;
            return true;
        }

        public bool TryFinish(int lineNumber, [NotNullWhen(true)] out SessionDescription? description, out string? error)
        {
            description = null;
            if (!TryCheckSessionComplete(out var reason))
            {
                error = $"line {lineNumber}: {reason}";
                return false;
            }
            FlushMedia();
            description = new SessionDescription
            {
                Origin = _origin!,
                SessionName = _sessionName!,
                Information = _information,
                Uri = _uri,
                Emails = EquatableArray.From(_emails),
                Phones = EquatableArray.From(_phones),
                Connection = _connection,
                Bandwidths = EquatableArray.From(_bandwidths),
                Timings = EquatableArray.From(_timings),
                TimeZones = _timeZones,
                EncryptionKey = _key,
                Attributes = EquatableArray.From(_attributes),
                Media = EquatableArray.From(_media),
            };
            error = null;
            return true;
        }

        private bool TryCheckSessionComplete(out string? error)
        {
            if (_current is not null)
            {
                error = null;
                return true;
            }
            FlushRepeats();
            error = !_seenVersion ? "missing 'v=' line"
                : _origin is null ? "missing 'o=' line"
                : _sessionName is null ? "missing 's=' line"
                : _timings.Count == 0 ? "missing 't=' line"
                : null;
            return error is null;
        }

        private void FlushRepeats()
        {
            if (_repeats.Count > 0 && _timings.Count > 0)
            {
                _timings[^1] = _timings[^1] with { Repeats = EquatableArray.From(_repeats) };
                _repeats.Clear();
            }
        }

        private void FlushMedia()
        {
            if (_current is null)
            {
                return;
            }
            _media.Add(_current with
            {
                Title = _mediaTitle,
                Connections = EquatableArray.From(_mediaConnections),
                Bandwidths = EquatableArray.From(_mediaBandwidths),
                EncryptionKey = _mediaKey,
                Attributes = EquatableArray.From(_mediaAttributes),
            });
            _current = null;
            _mediaTitle = null;
            _mediaKey = null;
            _mediaConnections.Clear();
            _mediaBandwidths.Clear();
            _mediaAttributes.Clear();
        }

        /// <summary>m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ... (RFC 8866 §5.14).</summary>
        private static bool TryParseMediaLine(string value, out MediaDescription? media, out string? error)
        {
            media = null;
            var f = SdpText.SplitFields(value);
            if (f.Length < 4)
            {
                error = "expected '<media> <port> <proto> <fmt> ...'";
                return false;
            }
            if (!SdpText.IsToken(f[0]))
            {
                error = $"media type {SdpText.Quote(f[0])} is not a token";
                return false;
            }
            var portText = f[1];
            int? portCount = null;
            var slash = portText.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                if (!SdpText.TryParseInt(portText.AsSpan(slash + 1), 1, ushort.MaxValue, out var count))
                {
                    error = $"number of ports {SdpText.Quote(portText.AsSpan(slash + 1))} is not a number 1-65535";
                    return false;
                }
                portCount = count;
                portText = portText[..slash];
            }
            if (!SdpText.TryParseInt(portText, 0, ushort.MaxValue, out var port))
            {
                error = $"port {SdpText.Quote(portText)} is not a number 0-65535";
                return false;
            }
            foreach (var part in f[2].Split('/'))
            {
                if (!SdpText.IsToken(part))
                {
                    error = $"protocol {SdpText.Quote(f[2])} is not tokens separated by '/'";
                    return false;
                }
            }
            for (var i = 3; i < f.Length; i++)
            {
                if (!SdpText.IsToken(f[i]))
                {
                    error = $"format {SdpText.Quote(f[i])} is not a token";
                    return false;
                }
            }
            media = new MediaDescription
            {
                MediaType = f[0],
                Port = port,
                PortCount = portCount,
                Protocol = f[2],
                Formats = new EquatableArray<string>(f[3..]),
            };
            error = null;
            return true;
        }

        private static bool AddAttribute(string value, List<SdpAttribute> list, out string? error)
        {
            if (!SdpAttribute.TryParse(value, out var attribute, out error))
            {
                return false;
            }
            list.Add(attribute);
            return true;
        }

        private static bool AddBandwidth(string value, List<SdpBandwidth> list, out string? error)
        {
            if (!SdpBandwidth.TryParse(value, out var bandwidth, out var reason))
            {
                error = "b= " + reason;
                return false;
            }
            list.Add(bandwidth);
            error = null;
            return true;
        }

        private static bool Set(bool ok, char type, string? reason, out string? error)
        {
            error = ok ? null : $"{type}= {reason}";
            return ok;
        }
    }
}
