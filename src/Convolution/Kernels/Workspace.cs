namespace Conv.Notebook;

/// <summary>
/// Scratch memory for the convolution kernels and for padding, kept per thread and reused from call to call, so that a
/// call allocates only its output. Unlike the shared array pool, it is not emptied when a large output triggers a full garbage
/// collection, which would make every such call allocate its workspace again.
/// </summary>
internal static class Workspace
{
    // Workspaces above this many elements (256 MB of floats) are not kept, so one huge call does not pin its memory forever.
    private const int KeepLimit = 1 << 26;

    [ThreadStatic]
    private static float[]? t_floats;

    [ThreadStatic]
    private static int[]? t_ints;

    [ThreadStatic]
    private static float[]? t_weights;

    // Which weight tensor t_weights holds, packed for which kernel and groups; the weak reference is made once per
    // thread and retargeted, so that checking and recording cost no allocation.
    [ThreadStatic]
    private static WeakReference<Tensor>? t_weightsOf;

    [ThreadStatic]
    private static WeightLayout t_weightsLayout;

    /// <summary>At least <paramref name="length"/> floats on the pinned heap, with unspecified contents; valid until this thread's next call.</summary>
    public static float[] Floats(long length) => Take(ref t_floats, length);

    /// <summary>At least <paramref name="length"/> ints on the pinned heap, with unspecified contents; valid until this thread's next call.</summary>
    public static int[] Ints(long length) => Take(ref t_ints, length);

    /// <summary>
    /// This thread's buffer for packed weights, of at least <paramref name="length"/> floats, and whether it already holds
    /// <paramref name="weight"/> packed in <paramref name="layout"/>: a notebook that calls the same layer again skips
    /// packing its weights. Tensors are immutable, so the same tensor means the same values.
    /// </summary>
    public static float[] PackedWeights(Tensor weight, WeightLayout layout, long length, out bool ready)
    {
        ready = t_weights is not null && t_weights.Length >= length && t_weightsLayout == layout &&
            t_weightsOf is not null && t_weightsOf.TryGetTarget(out Tensor? held) && ReferenceEquals(held, weight);
        if (ready) return t_weights!;
        // Forgotten before the buffer is rewritten, so that a failed packing is never taken for a finished one.
        t_weightsOf?.SetTarget(null!);
        return Take(ref t_weights, length);
    }

    /// <summary>Records that this thread's weight buffer now holds <paramref name="weight"/> packed in <paramref name="layout"/>.</summary>
    public static void PackedWeightsAre(Tensor weight, WeightLayout layout)
    {
        if (t_weightsOf is null) t_weightsOf = new WeakReference<Tensor>(weight);
        else t_weightsOf.SetTarget(weight);
        t_weightsLayout = layout;
    }

    private static T[] Take<T>(ref T[]? cached, long length) where T : unmanaged
    {
        if (cached is not null && cached.Length >= length) return cached;
        // Never shorter than asked: the kernels write up to the length they ask for. They bound it far below this.
        if (length > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The call needs a workspace of {length} elements, more than one array can hold ({Array.MaxLength}).", "input");
        }
        // Grown by half again, so that calls of slowly rising size do not allocate every time.
        long size = Math.Min(Array.MaxLength, Math.Max(length, (cached?.LongLength ?? 0) * 3 / 2));
        var array = GC.AllocateUninitializedArray<T>(checked((int)size), pinned: true);
        if (size <= KeepLimit) cached = array;
        return array;
    }
}

/// <summary>
/// How a weight tensor's packed copy is laid out: for <see cref="Kind"/>'s micro-kernel and <see cref="Groups"/> groups,
/// its taps in kernel order (a forward convolution: strides 0) or split into the output phases of a transposed
/// convolution of stride (<see cref="StrideH"/>, <see cref="StrideW"/>) and dilation (<see cref="DilationH"/>,
/// <see cref="DilationW"/>), which decide which taps each phase takes.
/// </summary>
internal readonly record struct WeightLayout(KernelKind Kind, int Groups, int StrideH = 0, int StrideW = 0, int DilationH = 0, int DilationW = 0);
