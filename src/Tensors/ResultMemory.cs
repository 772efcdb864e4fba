using System.Runtime.InteropServices;

namespace Conv.Notebook;

/// <summary>
/// The element arrays of results of 16 KB or more, reused once every tensor that held one is gone, as PyTorch's allocator
/// and ONNX Runtime's arena reuse freed blocks. Without it, each such output is fresh memory: its pages fault in as the
/// kernels first write them (a stem's 3.2 MB output took longer than its convolution), and outputs of more than 85,000
/// bytes go to the large-object heap, whose budget starts a full collection every few megabytes.
/// </summary>
/// <remarks>
/// <para>
/// An array is lent together with an owner object that only the tensors holding the array reference (a reshaped tensor
/// shares its owner); the pool keeps a weak handle to the owner, and takes the array back after a garbage collection has
/// found the owner unreachable. Code that reads a tensor's elements through a span keeps the tensor alive until it is
/// done (<see cref="GC.KeepAlive"/>), so no array is lent again while anything still reads it.
/// </para>
/// <para>
/// Results that die young are found by the collections of the young generations. A call lends its output and allocates
/// only a small tensor object, so those collections hardly ever come by themselves: when no array of the wanted length is
/// free and enough has been lent since the last collection (<see cref="CollectAfter"/>: eight such arrays, within 8 to
/// 32 MB), the pool asks for one. That bounds both the collections and the memory lent to tensors that may be dead; a
/// loop of calls cycles through about eight outputs of each size. Free arrays are kept up to
/// <see cref="MaxIdleBytes"/> (the oldest dropped first), and for <see cref="IdleMilliseconds"/> at most.
/// </para>
/// </remarks>
internal static class ResultMemory
{
    /// <summary>
    /// Arrays of at least this many floats (16 KB, four pages) are lent from the pool. Smaller ones come from the young
    /// generation, whose memory the collector also hands out afresh after its collections: a 50 KB output faulted all its
    /// pages in again on most calls of a loop that also made larger outputs.
    /// </summary>
    public const int MinimumLength = 4096;

    /// <summary>How long a free array is kept without being lent again.</summary>
    public const long IdleMilliseconds = 10_000;

    /// <summary>
    /// The most bytes of free arrays the pool keeps for reuse: 256 MB, or a thirty-second of the memory the process may
    /// use where that is less. A round of benchmark shapes, each cycling through its eight outputs, holds about half of it.
    /// </summary>
    public static readonly long MaxIdleBytes = Math.Min(256L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 32);

    /// <summary>The bytes lent since the last collection past which a request for <paramref name="bytes"/> that finds no free array starts one.</summary>
    public static long CollectAfter(long bytes) => Math.Clamp(8 * bytes, 8L << 20, 32L << 20);

    private static readonly Lock Gate = new();

    /// <summary>Arrays lent out, in the order they were lent, each with a weak handle to its owner.</summary>
    private static readonly List<Block> Lent = [];

    /// <summary>Free arrays, in the order they were lent before they came back: the last is the likeliest still in a cache.</summary>
    private static readonly List<Block> Free = [];

    private static long s_idleBytes, s_lentSinceCollection;
    private static int s_collectionsSeen = -1;

    /// <summary>An array of exactly <paramref name="length"/> floats with unspecified contents, and the owner that tensors holding it must reference.</summary>
    public static float[] Rent(int length, out object owner)
    {
        lock (Gate)
        {
            Reclaim();
            Block? block = TakeFree(length);
            long bytes = (long)length * sizeof(float);
            if (block is null && s_lentSinceCollection >= CollectAfter(bytes))
            {
                // Generation 1 too: a caller usually still holds its last result while it makes the next (a loop's
                // variable, the input of the next layer), so each collection finds that one alive and promotes it, and
                // only a collection of its new generation finds it dead later.
                GC.Collect(1, GCCollectionMode.Forced, blocking: true);
                s_lentSinceCollection = 0;
                Reclaim();
                block = TakeFree(length);
            }
            block ??= new Block(GC.AllocateUninitializedArray<float>(length, pinned: true));
            // Made after the collection, which would otherwise have found it alive and moved it to an older generation,
            // where only a rarer collection finds it dead.
            owner = new object();
            block.Owner.Target = owner;
            Lent.Add(block);
            s_lentSinceCollection += block.Bytes;
            return block.Array;
        }
    }

    /// <summary>Bytes of free arrays kept for reuse.</summary>
    public static long IdleBytes
    {
        get
        {
            lock (Gate)
            {
                Reclaim();
                return s_idleBytes;
            }
        }
    }

    /// <summary>Bytes lent out whose owners no collection has found dead yet.</summary>
    public static long LentBytes
    {
        get
        {
            lock (Gate)
            {
                Reclaim();
                return Lent.Sum(b => b.Bytes);
            }
        }
    }

    /// <summary>
    /// Takes back the arrays whose owners a collection found dead since the last look, then drops the free ones past the
    /// limits, oldest first; returns the bytes taken back.
    /// </summary>
    private static long Reclaim()
    {
        long now = Environment.TickCount64;
        int collections = GC.CollectionCount(0);
        if (collections == s_collectionsSeen)
        {
            Trim(now);
            return 0;
        }
        s_collectionsSeen = collections;
        long reclaimed = 0;
        int kept = 0;
        for (int i = 0; i < Lent.Count; i++)
        {
            Block block = Lent[i];
            if (block.Owner.Target is null)
            {
                block.FreedAt = now;
                Free.Add(block);
                reclaimed += block.Bytes;
            }
            else
            {
                Lent[kept++] = block;
            }
        }
        Lent.RemoveRange(kept, Lent.Count - kept);
        s_idleBytes += reclaimed;
        Trim(now);
        return reclaimed;
    }

    /// <summary>Drops free arrays, oldest first, while they exceed <see cref="MaxIdleBytes"/> or have waited longer than <see cref="IdleMilliseconds"/>.</summary>
    private static void Trim(long now)
    {
        int dropped = 0;
        while (dropped < Free.Count && (s_idleBytes > MaxIdleBytes || now - Free[dropped].FreedAt > IdleMilliseconds))
        {
            s_idleBytes -= Free[dropped].Bytes;
            Free[dropped].Owner.Free();
            dropped++;
        }
        Free.RemoveRange(0, dropped);
    }

    private static Block? TakeFree(int length)
    {
        for (int i = Free.Count - 1; i >= 0; i--)
        {
            Block block = Free[i];
            if (block.Array.Length != length) continue;
            Free.RemoveAt(i);
            s_idleBytes -= block.Bytes;
            return block;
        }
        return null;
    }

    /// <summary>One array and the weak handle to whatever owns it while it is lent.</summary>
    private sealed class Block(float[] array)
    {
        public readonly float[] Array = array;
        public GCHandle Owner = GCHandle.Alloc(null, GCHandleType.Weak);
        public long FreedAt;
        public long Bytes => (long)Array.Length * sizeof(float);
    }
}
