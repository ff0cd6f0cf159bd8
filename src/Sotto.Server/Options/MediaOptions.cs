using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Sotto.Sfu;

namespace Sotto.Server.Options;

/// <summary>
/// Reads <c>Sotto:Media</c> into <see cref="SfuOptions"/> (docs/media.md "Options"). By hand, not by
/// the binder: addresses are parsed with <see cref="IPAddress.Parse(string)"/> and a bad value fails
/// the start with the option's name.
/// </summary>
internal static class MediaOptions
{
    public const string SectionName = "Sotto:Media";

    public static SfuOptions Read(IConfigurationSection section)
    {
        var options = new SfuOptions();
        if (section["Port"] is { } port)
            options.Port = int.Parse(port, CultureInfo.InvariantCulture);
        if (section["BindAddress"] is { } bind)
            options.BindAddress = IPAddress.Parse(bind);
        if (section["AnnouncedAddress"] is { } announced)
            options.AnnouncedAddress = IPAddress.Parse(announced);
        options.ConsentTimeout = Time(section, "ConsentTimeout", options.ConsentTimeout);
        options.FeedbackInterval = Time(section, "FeedbackInterval", options.FeedbackInterval);
        options.ReportInterval = Time(section, "ReportInterval", options.ReportInterval);
        options.KeyFrameRequestInterval = Time(section, "KeyFrameRequestInterval", options.KeyFrameRequestInterval);
        options.LayerInactivityTimeout = Time(section, "LayerInactivityTimeout", options.LayerInactivityTimeout);
        options.NackRetryInterval = Time(section, "NackRetryInterval", options.NackRetryInterval);
        if (section["NackMaxRetries"] is { } retries)
            options.NackMaxRetries = int.Parse(retries, CultureInfo.InvariantCulture);
        if (section["RetransmissionBufferPackets"] is { } buffer)
            options.RetransmissionBufferPackets = int.Parse(buffer, CultureInfo.InvariantCulture);
        if (section["MaxParticipantsPerRoom"] is { } max)
            options.MaxParticipantsPerRoom = int.Parse(max, CultureInfo.InvariantCulture);
        return options;
    }

    private static TimeSpan Time(IConfigurationSection section, string key, TimeSpan fallback) =>
        section[key] is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
