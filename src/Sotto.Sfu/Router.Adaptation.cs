using Sotto.Sfu.Adaptation;
using Sotto.Sfu.Adaptation.Allocation;
using Sotto.Sfu.Adaptation.Speech;

namespace Sotto.Sfu;

/// <summary>
/// Quality that adapts (docs/media.md "Allocation"): on the allocation timer, under the room's lock,
/// the layer rates are measured, the dominant speaker re-evaluated, and each subscriber's downlink
/// estimate shared out across the videos it shows; probes are sent where the estimate holds a
/// subscriber below what its tiles need. Signaling events are returned and sent outside the lock.
/// </summary>
public sealed partial class Router
{
    /// <summary>A probe lasts this long; its padding goes out on the feedback timer.</summary>
    private static readonly long ProbeDurationTicks = TimeSpan.FromMilliseconds(300).Ticks;
    private static readonly long ProbeRetryTicks = TimeSpan.FromSeconds(1).Ticks;
    private static readonly long MinProbeBackoffTicks = TimeSpan.FromSeconds(2).Ticks;
    private static readonly long MaxProbeBackoffTicks = TimeSpan.FromSeconds(16).Ticks;
    private static readonly long QuietAfterLossTicks = TimeSpan.FromSeconds(5).Ticks;

    /// <summary>Loss at which the lowest layers are no longer kept on the strength of what the path delivers.</summary>
    private const double LossForPause = 0.02;

    internal void SetMediaSettings(SfuParticipant subscriber, bool? audioOnly, IReadOnlyList<string>? pinned, IReadOnlyList<(string Mid, TrackView View)>? views, bool? speaking)
    {
        lock (_gate)
        {
            if (subscriber.IsClosed)
                return;
            if (speaking is { } talking)
            {
                subscriber.ReportedSpeaking = talking;
                ApplySpeakingReport(subscriber, SfuClock.NowTicks());
                return; // a speaking report changes no allocation by itself
            }
            if (audioOnly is { } only)
                subscriber.AudioOnly = only;
            if (pinned is not null)
            {
                subscriber.Pinned.Clear();
                foreach (var id in pinned)
                    subscriber.Pinned.Add(id);
            }
            foreach (var (mid, view) in views ?? [])
            {
                foreach (var slot in subscriber.Slots)
                {
                    if (slot.Mid == mid && slot.Consumer is { } consumer)
                        consumer.View = view;
                }
            }
            // Take the new wishes into account now rather than at the next tick.
            _nextAllocationTicks = 0;
        }
    }

    /// <summary>The participant's last speaking report goes to its microphone (also one published after the report).</summary>
    private static void ApplySpeakingReport(SfuParticipant participant, long now)
    {
        if (participant.ReportedSpeaking is not { } speaking)
            return;
        foreach (var producer in participant.Producers)
        {
            if (producer.Source == MediaSource.Mic)
                producer.Speech.OnReport(now, speaking);
        }
    }

    private List<Action>? Adapt(long now)
    {
        List<Action>? events = null;
        foreach (var participant in _participants.Values)
        {
            ApplySpeakingReport(participant, now);
            foreach (var producer in participant.Producers)
            {
                foreach (var stream in producer.Streams)
                {
                    if (stream.IsActive(now, _inactivityTicks))
                        stream.Bitrate.Roll(now);
                    else
                        stream.Bitrate.Reset();
                }
            }
        }

        if (_speakers.Update(now, Microphones()))
        {
            var dominant = _speakers.Dominant!;
            foreach (var participant in _participants.Values)
            {
                var signal = participant.Signal;
                (events ??= []).Add(() => signal.OnDominantSpeaker(dominant));
            }
        }

        foreach (var subscriber in _participants.Values)
        {
            if (!subscriber.IsClosed)
                Allocate(subscriber, now, ref events);
        }
        foreach (var publisher in _participants.Values)
            AnnounceNeededLayers(publisher, now, ref events);
        return events;
    }

    private IEnumerable<(string, SpeechActivity)> Microphones()
    {
        foreach (var participant in _participants.Values)
        {
            foreach (var producer in participant.Producers)
            {
                if (producer.Source == MediaSource.Mic)
                    yield return (participant.Id, producer.Speech);
            }
        }
    }

    /// <summary>True if last-N lets <paramref name="subscriber"/> see <paramref name="producer"/>'s video.</summary>
    private bool InLastN(SfuParticipant subscriber, Producer producer)
    {
        if (_options.LastN <= 0 || producer.Source == MediaSource.Screen || subscriber.Pinned.Contains(producer.Owner.Id))
            return true;
        var rank = 0;
        foreach (var id in _speakers.RecentSpeakers)
        {
            if (id == subscriber.Id)
                continue;
            if (id == producer.Owner.Id)
                return true;
            if (++rank >= _options.LastN)
                return false;
        }
        return false;
    }

    /// <summary>
    /// The choices a producer offers now, cheapest first, with their measured rates: every temporal
    /// layer of the lowest sending stream (the fine steps when bandwidth is tight), then for each higher
    /// stream only its two upper temporal layers (15 and 30 fps of L1T3) — more pixels at 7.5 fps is no
    /// better than fewer at 30 (Jitsi orders its layers the same way, by a preferred frame rate).
    /// </summary>
    internal static List<AllocationLayer> SendingLayers(Producer producer, long now, long inactivityTicks)
    {
        var layers = new List<AllocationLayer>();
        foreach (var stream in producer.Streams)
        {
            if (!stream.IsActive(now, inactivityTicks))
                continue;
            var bitrate = stream.Bitrate;
            var lowest = layers.Count == 0 ? 0 : Math.Max(0, bitrate.TemporalLayerCount - 2);
            for (var temporal = lowest; temporal < bitrate.TemporalLayerCount; temporal++)
            {
                var bits = Math.Max(bitrate.BitrateUpTo(temporal), BandwidthAllocator.UnmeasuredLayerBitsPerSecond);
                layers.Add(new AllocationLayer(new VideoLayer(stream.Index, temporal), bits, stream.Height));
            }
        }
        return layers;
    }

    private void Allocate(SfuParticipant subscriber, long now, ref List<Action>? events)
    {
        var downlink = subscriber.Downlink;
        // Before its first feedback (or for a client without transport-cc) a subscriber is not limited.
        var budget = downlink.HasFeedback ? downlink.BitsPerSecond : long.MaxValue / 4;
        var tracks = new List<(Consumer Consumer, AllocationTrack Track, bool Wanted)>();
        foreach (var slot in subscriber.Slots)
        {
            if (slot.Consumer is not { } consumer)
                continue;
            var producer = consumer.Producer;
            if (consumer.Kind == MediaKind.Audio)
            {
                budget -= producer.Streams[0].Bitrate.BitrateUpTo(0);
                continue;
            }
            var layers = SendingLayers(producer, now, _inactivityTicks);
            var wanted = !subscriber.AudioOnly && InLastN(subscriber, producer);
            var ideal = BandwidthAllocator.IdealIndex(layers, consumer.View, wanted);
            var priority = producer.Source == MediaSource.Screen || producer.Owner.Id == _speakers.Dominant ? AllocationPriority.Featured
                : subscriber.Pinned.Contains(producer.Owner.Id) ? AllocationPriority.Pinned
                : AllocationPriority.Tile;
            var area = consumer.View.IsKnown ? (long)consumer.View.Width * consumer.View.Height : long.MaxValue;
            var current = consumer.CurrentStream is { } stream ? layers.FindIndex(l => l.Layer.Spatial == stream.Index && l.Layer.Temporal == consumer.CurrentTemporal) : -1;
            tracks.Add((consumer, new AllocationTrack(priority, area, layers, ideal) { CurrentIndex = current }, wanted && !consumer.View.Hidden));
        }
        var allocation = tracks.ConvertAll(t => t.Track);
        // Without loss, what the path demonstrably delivers keeps the lowest layers on (docs/media.md "Weak links").
        var audio = (downlink.HasFeedback ? downlink.BitsPerSecond : long.MaxValue / 4) - budget;
        var delivered = downlink.HasFeedback && downlink.LossFraction < LossForPause ? downlink.AckedBitsPerSecond - audio : 0;
        subscriber.AllocatedBitsPerSecond = BandwidthAllocator.Allocate(Math.Max(0, budget), allocation, delivered);

        var limited = false;
        long wantedBits = 0;
        List<string>? paused = null;
        foreach (var (consumer, track, wanted) in tracks)
        {
            // Nothing sending yet: keep the wish, so the first key frame of any layer is taken.
            var layer = track.Layers.Count == 0 ? (wanted ? VideoLayer.Best : VideoLayer.None) : track.Chosen;
            if (layer != consumer.TargetLayer)
            {
                consumer.TargetLayer = layer;
                subscriber.Counters.LayerSwitchesCount++;
                Counters.LayerSwitchesCount++;
            }
            // A new spatial layer starts at its next key frame: ask now instead of at its next packet.
            if (consumer.IsNegotiated && consumer.ResolveTarget(now, _inactivityTicks) is { } target && !ReferenceEquals(target, consumer.CurrentStream))
                RequestKeyFrame(target, now);
            if (track.IsSuspended)
                (paused ??= []).Add(consumer.Mid);
            if (track.IsWanted && track.ChosenIndex < track.IdealIndex)
                limited = true;
            wantedBits += track.IdealBitsPerSecond;
        }

        var low = paused is not null;
        var pausedMids = paused?.ToArray() ?? [];
        if (low != subscriber.LowBandwidth || !pausedMids.SequenceEqual(subscriber.PausedMids))
        {
            subscriber.LowBandwidth = low;
            subscriber.PausedMids = pausedMids;
            var signal = subscriber.Signal;
            (events ??= []).Add(() => signal.OnBandwidthState(low, pausedMids));
        }

        if (_options.Probing && limited && downlink.HasFeedback)
            MaybeStartProbe(subscriber, now, wantedBits + (downlink.BitsPerSecond - budget));
    }

    /// <summary>
    /// The estimate keeps this subscriber below what its tiles need: find out whether the path has
    /// more room by sending padding up to 1.5 × the estimate (at most what is wanted) for 300 ms — short
    /// and modest, because on a link that really is narrow the probe's excess is lost with media. A
    /// failed probe (loss, queueing, or loss within 3 s after it raised the estimate: it only filled a
    /// buffer) backs off exponentially, 2 s to 16 s, so a truly narrow link is not flooded; no probe
    /// within 5 s after loss cut the estimate; a successful one is followed by the next a second later.
    /// </summary>
    private static void MaybeStartProbe(SfuParticipant subscriber, long now, long wantedBits)
    {
        var downlink = subscriber.Downlink;
        if (downlink.ProbesFailed != subscriber.ProbesFailedSeen)
        {
            subscriber.ProbesFailedSeen = downlink.ProbesFailed;
            subscriber.ProbeBackoffTicks = Math.Clamp(subscriber.ProbeBackoffTicks * 2, MinProbeBackoffTicks, MaxProbeBackoffTicks);
            subscriber.NextProbeTicks = now + subscriber.ProbeBackoffTicks;
        }
        if (downlink.IsProbing || now < subscriber.NextProbeTicks || downlink.LossFraction > 0.1)
            return;
        // Right after loss cut the estimate the path is full: probing now would only add loss.
        if (downlink.LastLossDecreaseMicros != long.MinValue && now / 10 - downlink.LastLossDecreaseMicros < QuietAfterLossTicks / 10)
            return;
        var estimate = downlink.BitsPerSecond;
        var target = Math.Min(Math.Max(wantedBits, estimate * 5 / 4), estimate * 3 / 2);
        if (target <= estimate)
            return;
        subscriber.ProbeBitsPerSecond = target;
        subscriber.ProbeUntilTicks = now + ProbeDurationTicks;
        subscriber.NextProbeTicks = now + ProbeDurationTicks + ProbeRetryTicks;
        if (downlink.ProbesFailed == subscriber.ProbesFailedSeen && subscriber.ProbeBackoffTicks > MinProbeBackoffTicks)
            subscriber.ProbeBackoffTicks /= 2;
        downlink.BeginProbe(now / 10, (now + ProbeDurationTicks) / 10);
    }

    /// <summary>On the feedback timer: the padding that tops a probing subscriber's media up to the probe rate.</summary>
    private void SendProbes(long now)
    {
        var interval = _options.FeedbackInterval.Ticks;
        foreach (var subscriber in _participants.Values)
        {
            if (now >= subscriber.ProbeUntilTicks || !subscriber.IsSubscribeConnected)
                continue;
            var missingBits = subscriber.ProbeBitsPerSecond - subscriber.AllocatedBitsPerSecond;
            var bytes = (int)Math.Min(missingBits * interval / TimeSpan.TicksPerSecond / 8, 256 * 1024);
            if (bytes <= 0)
                continue;
            foreach (var slot in subscriber.Slots)
            {
                if (slot.Consumer is { Kind: MediaKind.Video } consumer && consumer.CurrentStream is not null)
                {
                    bytes -= consumer.SendPadding(bytes, this, _scratch);
                    if (bytes <= 0)
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Tells each publisher which simulcast layers someone needs (docs/protocol.md <c>publish-layers</c>):
    /// the layers up to the highest any subscriber's tile needs. Adding a layer is told at once;
    /// releasing one only after <see cref="SfuOptions.LayerReleaseDelay"/>, so resizing a window does
    /// not start and stop encoders. The lowest layer is always kept (fast resume, bandwidth fallback).
    /// </summary>
    private void AnnounceNeededLayers(SfuParticipant publisher, long now, ref List<Action>? events)
    {
        foreach (var producer in publisher.Producers)
        {
            if (producer.Kind != MediaKind.Video || producer.Streams.Length < 2)
                continue;
            var needed = 0;
            foreach (var consumer in producer.Consumers)
            {
                if (consumer.IsClosed || !consumer.IsNegotiated)
                    continue;
                var subscriber = consumer.Subscriber;
                if (subscriber.AudioOnly || consumer.View.Hidden || !InLastN(subscriber, producer))
                    continue;
                needed = Math.Max(needed, NeededSpatial(producer, consumer.View));
            }
            if (needed == producer.AnnouncedSpatial)
            {
                producer.LowerNeedSinceTicks = long.MinValue;
                continue;
            }
            if (needed < producer.AnnouncedSpatial)
            {
                if (producer.LowerNeedSinceTicks == long.MinValue)
                    producer.LowerNeedSinceTicks = now;
                if (now - producer.LowerNeedSinceTicks < _options.LayerReleaseDelay.Ticks)
                    continue;
            }
            else if (producer.AnnouncedSpatial < 0 && needed == producer.Streams.Length - 1)
            {
                // Everything is needed and nothing was said yet: the browser already sends every layer.
                producer.AnnouncedSpatial = needed;
                continue;
            }
            producer.AnnouncedSpatial = needed;
            producer.LowerNeedSinceTicks = long.MinValue;
            var mid = producer.Mid;
            var rids = producer.Streams.Take(needed + 1).Select(s => s.Rid!).ToArray();
            var signal = publisher.Signal;
            (events ??= []).Add(() => signal.OnPublishLayers(mid, rids));
        }
    }

    /// <summary>The spatial layer a tile needs, judged on every layer the track has (sending or not): the lowest at least as tall, else the top.</summary>
    private static int NeededSpatial(Producer producer, TrackView view)
    {
        var top = producer.Streams.Length - 1;
        if (!view.IsKnown)
            return top;
        foreach (var stream in producer.Streams)
        {
            if (stream.Height > 0 && stream.Height >= view.Height * 9 / 10)
                return stream.Index;
        }
        return top;
    }
}
