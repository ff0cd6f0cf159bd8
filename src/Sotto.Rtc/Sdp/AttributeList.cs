namespace Sotto.Rtc.Sdp;

/// <summary>Queries over an ordered attribute list, shared by session and media level.</summary>
internal static class AttributeList
{
    public static T? First<T>(EquatableArray<SdpAttribute> attributes)
        where T : SdpAttribute
    {
        foreach (var a in attributes)
        {
            if (a is T t)
            {
                return t;
            }
        }
        return null;
    }

    public static List<T> All<T>(EquatableArray<SdpAttribute> attributes)
        where T : SdpAttribute
    {
        var list = new List<T>();
        foreach (var a in attributes)
        {
            if (a is T t)
            {
                list.Add(t);
            }
        }
        return list;
    }

    public static bool HasProperty(EquatableArray<SdpAttribute> attributes, string name)
    {
        foreach (var a in attributes)
        {
            if (a is PropertyAttribute p && p.Name == name)
            {
                return true;
            }
        }
        return false;
    }
}
