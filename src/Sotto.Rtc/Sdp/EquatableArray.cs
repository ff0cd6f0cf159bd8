using System.Collections;
using System.Runtime.CompilerServices;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// An immutable list with value equality, so the SDP model's records compare by content:
/// <c>Parse(Write(x)) == x</c> is a structural comparison, not a reference one.
/// Built with collection expressions (<c>[a, b]</c>); <c>default</c> is the empty list.
/// </summary>
[CollectionBuilder(typeof(EquatableArray), nameof(EquatableArray.Create))]
#pragma warning disable CA1710 // A small value list named for what it adds (equality), not a "Collection".
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
#pragma warning restore CA1710
{
    private readonly T[]? _items;

    /// <summary>Takes ownership of <paramref name="items"/>: callers pass a fresh array.</summary>
    internal EquatableArray(T[] items) => _items = items;

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? [])[index];

    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(EquatableArray<T> other) =>
        AsSpan().SequenceEqual(other.AsSpan(), EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Readable in record <c>ToString()</c> and test failure messages.</summary>
    public override string ToString() => "[" + string.Join(", ", _items ?? []) + "]";
}

/// <summary>Factory used by collection expressions for <see cref="EquatableArray{T}"/>.</summary>
public static class EquatableArray
{
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    internal static EquatableArray<T> From<T>(List<T> items) => new(items.ToArray());
}
