using System.Security.Cryptography;
using Sotto.E2ee.Files;
using Sotto.E2ee.Messages;

namespace Sotto.E2ee.Participant;

/// <summary>
/// §S10 for the C# participant (the bookkeeping of web/e2ee/file-transfers.js): my offers, each
/// to one receiver under a fresh key, whose chunks go out only after that receiver's authenticated
/// <c>file_accept</c>; and received offers, which are accepted only by an explicit call, then
/// checked chunk by chunk (order, <c>last</c>, size, SHA-256) by <see cref="IncomingFile"/>, so the
/// content is available only when every check passed. fids are unique per sender (C19).
/// Single-threaded: <see cref="E2eeParticipant"/> calls it under its lock.
/// </summary>
internal sealed class FileTransfers(long sizeLimit = FileTransfers.DefaultSizeLimit)
{
    /// <summary>§S10: the receiver's own limit on offers (default 100 MiB).</summary>
    public const long DefaultSizeLimit = 100L * 1024 * 1024;

    private readonly Dictionary<(string Peer, string Fid), Outgoing> _outgoing = [];
    private readonly Dictionary<(string Peer, string Fid), Incoming> _incoming = [];

    /// <summary>A new offer to one peer: the file_offer JSON to send over its channel, and the fid.</summary>
    public (byte[] Json, byte[] FileId) Offer(string peerId, string name, string type, byte[] data)
    {
        byte[] fid = RandomNumberGenerator.GetBytes(FileChunk.FileIdLength);
        byte[] key = RandomNumberGenerator.GetBytes(FileChunk.KeyLength);
        _outgoing[(peerId, Convert.ToHexString(fid))] = new Outgoing(key, data);
        return (AppMessage.FileOffer(new FileOfferMessage(fid, name, (ulong)data.Length, type, SHA256.HashData(data), key)), fid);
    }

    /// <summary>The receiver's file_accept: the FILE_CHUNK blobs to send it, or none for an unknown, repeated or forged accept.</summary>
    public IReadOnlyList<byte[]> Accepted(string peerId, byte[] fid)
    {
        if (!_outgoing.Remove((peerId, Convert.ToHexString(fid)), out Outgoing? offer))
            return [];
        var blobs = new List<byte[]>();
        ulong size = (ulong)offer.Data.Length;
        uint index = 0;
        int start = 0;
        do
        {
            int length = Math.Min(FileChunk.ChunkLength, offer.Data.Length - start);
            bool last = start + length == offer.Data.Length;
            blobs.Add(FileChunk.Seal(offer.Key, fid, index++, last, size, offer.Data.AsSpan(start, length)));
            start += length;
        }
        while (start < offer.Data.Length);
        CryptographicOperations.ZeroMemory(offer.Key);
        return blobs;
    }

    /// <summary>
    /// The sender cancels an offer it has not sent yet (chunks go out whole on accept, so a sent file
    /// cannot be cancelled, as in file-transfers.js): the receiver to tell, or null when there is none.
    /// </summary>
    public string? Cancel(byte[] fid)
    {
        string hex = Convert.ToHexString(fid);
        foreach (var ((peer, key), offer) in _outgoing)
        {
            if (key != hex)
                continue;
            _outgoing.Remove((peer, key));
            CryptographicOperations.ZeroMemory(offer.Key);
            return peer;
        }
        return null;
    }

    /// <summary>file_decline: nothing is ever sent for this offer.</summary>
    public void Declined(string peerId, byte[] fid) => _outgoing.Remove((peerId, Convert.ToHexString(fid)));

    /// <summary>An offer from a peer; false if malformed, repeated (C19) or over the size limit.</summary>
    public bool Offered(string peerId, FileOfferMessage offer)
    {
        var id = (peerId, Convert.ToHexString(offer.FileId));
        if (_incoming.ContainsKey(id) || offer.Size > (ulong)sizeLimit)
            return false;
        _incoming[id] = new Incoming(offer);
        return true;
    }

    /// <summary>The user accepted: from now on chunks are taken. False for an unknown offer.</summary>
    public bool Accept(string peerId, byte[] fid)
    {
        if (!_incoming.TryGetValue((peerId, Convert.ToHexString(fid)), out Incoming? incoming) || incoming.File is not null)
            return false;
        incoming.File = new IncomingFile(incoming.Offer.Key, incoming.Offer.FileId, incoming.Offer.Size, incoming.Offer.Sha256);
        return true;
    }

    public void Decline(string peerId, byte[] fid) => Forget(peerId, fid);

    public void Cancelled(string peerId, byte[] fid) => Forget(peerId, fid);

    /// <summary>One FILE_CHUNK body from a peer; the file's state afterwards, or null for a chunk of nothing accepted.</summary>
    public (IncomingFileState State, FileOfferMessage Offer)? Chunk(string peerId, ReadOnlySpan<byte> body)
    {
        if (body.Length < FileChunk.FileIdLength
            || !_incoming.TryGetValue((peerId, Convert.ToHexString(body[..FileChunk.FileIdLength])), out Incoming? incoming)
            || incoming.File is null)
        {
            return null;
        }
        return (incoming.File.Receive(body), incoming.Offer);
    }

    /// <summary>The bytes for "Save": only once every check passed, else null.</summary>
    public byte[]? Content(string peerId, byte[] fid) =>
        _incoming.TryGetValue((peerId, Convert.ToHexString(fid)), out Incoming? incoming) ? incoming.File?.Content : null;

    public void PeerDeparted(string peerId)
    {
        foreach (var key in _outgoing.Keys.Where(k => k.Peer == peerId).ToArray())
            _outgoing.Remove(key);
        foreach (var key in _incoming.Keys.Where(k => k.Peer == peerId && _incoming[k].File?.State != IncomingFileState.Complete).ToArray())
            Forget(key.Peer, Convert.FromHexString(key.Fid));
    }

    private void Forget(string peerId, byte[] fid)
    {
        if (_incoming.Remove((peerId, Convert.ToHexString(fid)), out Incoming? incoming))
            incoming.File?.Dispose();
    }

    private sealed record Outgoing(byte[] Key, byte[] Data);

    private sealed class Incoming(FileOfferMessage offer)
    {
        public FileOfferMessage Offer { get; } = offer;
        public IncomingFile? File { get; set; }
    }
}
