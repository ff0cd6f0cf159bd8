// A summary of getStats for diagnostics and tests (window.sotto.stats(), docs/protocol.md "The call
// page"). Only counters, rates, sizes and ports: never keys, SDP or the link.

const INBOUND_FIELDS = ["packetsReceived", "packetsLost", "bytesReceived", "framesDecoded", "keyFramesDecoded",
  "framesDropped", "frameWidth", "frameHeight", "nackCount", "pliCount", "firCount", "retransmittedPacketsReceived",
  "freezeCount", "totalFreezesDuration", "pauseCount", "totalPausesDuration", "framesPerSecond"];
const OUTBOUND_FIELDS = ["rid", "packetsSent", "bytesSent", "framesEncoded", "keyFramesEncoded", "frameWidth", "frameHeight",
  "nackCount", "pliCount", "retransmittedPacketsSent", "qualityLimitationReason", "targetBitrate", "active"];

function pick(report, fields) {
  const out = {};
  for (const f of fields) if (report[f] !== undefined) out[f] = report[f];
  return out;
}

/** The selected candidate pair of a peer connection: remote port and the sender's bandwidth estimate. */
function selectedPair(stats) {
  for (const s of stats.values()) {
    if (s.type !== "transport" || !s.selectedCandidatePairId) continue;
    const pair = stats.get(s.selectedCandidatePairId);
    const remote = pair && stats.get(pair.remoteCandidateId);
    return { remotePort: remote?.port ?? 0, availableOutgoingBitrate: pair?.availableOutgoingBitrate ?? 0, state: pair?.state ?? "" };
  }
  return { remotePort: 0, availableOutgoingBitrate: 0, state: "" };
}

/** Publish side: the selected pair and one entry per outbound stream (per simulcast layer). */
export async function publishStats(publisher) {
  const stats = await publisher.pc.getStats();
  const outbound = [];
  for (const s of stats.values()) {
    if (s.type !== "outbound-rtp") continue;
    const mid = s.mid ?? null;
    const source = publisher.sourceOfMid(mid);
    outbound.push({ kind: s.kind, mid, source, ...pick(s, OUTBOUND_FIELDS) });
  }
  return { ...selectedPair(stats), outbound };
}

/** Subscribe side: the selected pair and one entry per active remote track, with its owner and source. */
export async function subscribeStats(subscriber) {
  const pc = subscriber.pc;
  const stats = await pc.getStats();
  const tracks = [];
  for (const remote of subscriber.remoteTracks()) {
    const report = await remote.receiver.getStats();
    let inbound = {};
    for (const s of report.values()) if (s.type === "inbound-rtp") inbound = pick(s, INBOUND_FIELDS);
    tracks.push({ mid: remote.mid, owner: remote.owner, slot: remote.slot, source: remote.source, kind: remote.kind, ...inbound });
  }
  return { ...selectedPair(stats), tracks };
}
