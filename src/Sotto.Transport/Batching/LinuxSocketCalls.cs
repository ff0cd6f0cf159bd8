using System.Runtime.InteropServices;

namespace Sotto.Transport.Batching;

/// <summary>
/// recvmmsg(2) and sendmmsg(2): many datagrams per system call. .NET has no API for them, so they are
/// called from libc directly. The structures follow the 64-bit Linux ABI (glibc and musl agree):
/// <c>struct iovec</c> 16 octets, <c>struct msghdr</c> 56, <c>struct mmsghdr</c> 64.
/// </summary>
internal static unsafe partial class LinuxSocketCalls
{
    /// <summary>recvmmsg: after the first datagram, return what is queued instead of waiting for more.</summary>
    public const int MsgWaitForOne = 0x10000;

    /// <summary>msg_flags: the datagram was longer than the buffer and was cut.</summary>
    public const int MsgTrunc = 0x20;

    /// <summary>The socket's receive timeout (SO_RCVTIMEO) expired, or a non-blocking call found nothing.</summary>
    public const int EAgain = 11;

    /// <summary>A signal interrupted the call before anything was transferred.</summary>
    public const int EIntr = 4;

    /// <summary>True where these calls exist and the structures below match the ABI.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        /// <summary>Octets received or sent for this message.</summary>
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMultiple(nint socket, MultiMessageHeader* messages, uint count, int flags);

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMultiple(nint socket, MultiMessageHeader* messages, uint count, int flags, void* timeout);
}
