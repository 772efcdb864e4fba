using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Conv.Notebook;

/// <summary>
/// Copies each input channel into padded, stride-phase planes: plane (a, b) holds the padded rows a, a + s_h, …
/// and columns b, b + s_w, … With the input split this way, a strided convolution reads every tap as a contiguous
/// run of a plane (the space-to-depth trick), so the micro-kernel never gathers. With stride 1 there is one plane,
/// the padded channel.
/// </summary>
internal unsafe struct PhasePacking
{
    public float* Source;
    public int Height, Width;
    public float* Target;
    public int StrideH, StrideW;

    /// <summary>The size of one phase plane.</summary>
    public int PlaneH, PlaneW;

    /// <summary>Per padded row (PlaneH · StrideH of them) and per padded column (PlaneW · StrideW), the source index or −1 for a zero.</summary>
    public int* RowMap, ColumnMap;

    /// <summary>The padded column of source column 0: columns from here to here + Width − 1 copy the source in order.</summary>
    public int PadLeft;

    /// <summary>
    /// The rows of each plane that <see cref="Target"/> holds, from <see cref="FirstRow"/> on: all of them (0 means
    /// <see cref="PlaneH"/>), or for a band of output rows only the rows that band reads, in a copy of its own.
    /// </summary>
    public int FirstRow, StoredRows;

    private readonly int Rows => StoredRows > 0 ? StoredRows : PlaneH;

    /// <summary>The floats of one packed channel: its phase planes of the stored rows, one after the other.</summary>
    public readonly long ChannelLength => (long)Rows * PlaneW * StrideH * StrideW;

    /// <summary>The distance between consecutive packed channels, at least <see cref="ChannelLength"/>; 0 means exactly that.</summary>
    public long ChannelStride;

    /// <summary>Packs <paramref name="channels"/> consecutive source channels into consecutive packed channels, on up to <paramref name="threads"/> threads.</summary>
    public void Run(int channels, int threads)
    {
        fixed (PhasePacking* self = &this)
        {
            WorkSplitter.For(channels, threads, &PackChannel, self);
        }
    }

    /// <summary>
    /// The map of one padded dimension: the source index that each padded position copies in <paramref name="mode"/>,
    /// and −1 past the padding (where a plane's last phase overhangs) or in the zero padding.
    /// </summary>
    public static void FillMap(Span<int> map, PaddingMode mode, int size, int before, int after)
    {
        int padded = before + size + after;
        if (mode == PaddingMode.Zeros)
        {
            for (int r = 0; r < map.Length; r++)
            {
                int i = r - before;
                map[r] = i >= 0 && i < size ? i : -1;
            }
            return;
        }
        PadRules.FillSourceMap(map[..padded], mode, size, before);
        map[padded..].Fill(-1);
    }

    private static void PackChannel(void* state, int channel) => PackChannel((PhasePacking*)state, channel);

    /// <summary>Packs source channel <paramref name="channel"/> into its phase planes.</summary>
    public static void PackChannel(PhasePacking* p, int channel) => PackChannel(p, channel, 0, p->PlaneH);

    /// <summary>Packs rows <paramref name="firstRow"/> to <paramref name="endRow"/> − 1 of every phase plane of source channel <paramref name="channel"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackChannel(PhasePacking* p, int channel, int firstRow, int endRow)
    {
        float* source = p->Source + (long)channel * p->Height * p->Width;
        long length = p->ChannelLength, stride = Math.Max(p->ChannelStride, length);
        int planeW = p->PlaneW, rows = p->Rows;
        // The gap after the channel is read only for positions that are thrown away; zeros keep those reads plain.
        if (endRow == p->FirstRow + rows && stride > length) new Span<float>(p->Target + channel * stride + length, (int)(stride - length)).Clear();
        // Plane row y is stored at row y − FirstRow.
        float* target = p->Target + channel * stride - (long)p->FirstRow * planeW;
        if (p->StrideW == 2 && Avx512F.IsSupported)
        {
            // Both column phases of a row from one pass over it: each pair of loads gives 16 columns of each.
            for (int a = 0; a < p->StrideH; a++)
            {
                float* evenPlane = target + (long)(a * 2) * rows * planeW, oddPlane = evenPlane + (long)rows * planeW;
                for (int y = firstRow; y < endRow; y++)
                {
                    int row = p->RowMap[y * p->StrideH + a];
                    float* even = evenPlane + (long)y * planeW, odd = oddPlane + (long)y * planeW;
                    if (row < 0)
                    {
                        new Span<float>(even, planeW).Clear();
                        new Span<float>(odd, planeW).Clear();
                    }
                    else
                    {
                        PackRowPair(p, source + (long)row * p->Width, even, odd);
                    }
                }
            }
            return;
        }
        for (int a = 0; a < p->StrideH; a++)
        {
            for (int b = 0; b < p->StrideW; b++)
            {
                float* plane = target + (long)(a * p->StrideW + b) * rows * planeW;
                for (int y = firstRow; y < endRow; y++)
                {
                    int row = p->RowMap[y * p->StrideH + a];
                    float* targetRow = plane + (long)y * planeW;
                    if (row < 0)
                    {
                        new Span<float>(targetRow, planeW).Clear();
                    }
                    else
                    {
                        PackRow(p, source + (long)row * p->Width, targetRow, b);
                    }
                }
            }
        }
    }

    /// <summary>Fills the two plane rows of stride 2 with the even and the odd padded columns of a source row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRowPair(PhasePacking* p, float* source, float* even, float* odd)
    {
        int planeW = p->PlaneW, width = p->Width, padLeft = p->PadLeft;
        int* map = p->ColumnMap;
        // Plane column x holds padded columns 2x and 2x + 1, source columns 2x − padLeft and the next: whole vectors
        // from the first x whose pair starts inside the source to the last whose 32 inputs end inside it.
        int first = (padLeft + 1) / 2, last = Math.Min(planeW - 16, (width + padLeft - 32) / 2);
        int x = 0;
        if (last >= first)
        {
            for (; x < first; x++)
            {
                int m0 = map[2 * x], m1 = map[2 * x + 1];
                even[x] = m0 < 0 ? 0f : source[m0];
                odd[x] = m1 < 0 ? 0f : source[m1];
            }
            Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            Vector512<int> odds = evens + Vector512<int>.One;
            while (true)
            {
                float* from = source + (2 * x - padLeft);
                Vector512<float> low = Vector512.Load(from), high = Vector512.Load(from + 16);
                Avx512F.PermuteVar16x32x2(low, evens, high).Store(even + x);
                Avx512F.PermuteVar16x32x2(low, odds, high).Store(odd + x);
                if (x == last) break;
                x = Math.Min(x + 16, last);
            }
            x += 16;
        }
        for (; x < planeW; x++)
        {
            int m0 = map[2 * x], m1 = map[2 * x + 1];
            even[x] = m0 < 0 ? 0f : source[m0];
            odd[x] = m1 < 0 ? 0f : source[m1];
        }
    }

    /// <summary>Fills one plane row with the columns b, b + s_w, … of a padded source row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRow(PhasePacking* p, float* source, float* target, int b)
    {
        int stride = p->StrideW, planeW = p->PlaneW, width = p->Width, padLeft = p->PadLeft;
        // Plane columns whose padded column b + x·s falls on the source, in order, from first to end.
        int first = padLeft <= b ? 0 : (padLeft - b + stride - 1) / stride;
        int end = Math.Clamp((padLeft + width - b + stride - 1) / stride, first, planeW);
        int* map = p->ColumnMap;
        for (int x = 0; x < first; x++)
        {
            int m = map[x * stride + b];
            target[x] = m < 0 ? 0f : source[m];
        }
        float* from = source + (first * stride + b - padLeft);
        int count = end - first;
        if (stride == 1)
        {
            Unsafe.CopyBlockUnaligned(target + first, from, (uint)count * sizeof(float));
        }
        else
        {
            Strided(from, target + first, count, stride, source + width - from);
        }
        for (int x = end; x < planeW; x++)
        {
            int m = map[x * stride + b];
            target[x] = m < 0 ? 0f : source[m];
        }
    }

    /// <summary>
    /// to[i] = from[i · stride] for i below <paramref name="count"/>, reading no further than <paramref name="available"/>
    /// elements from <paramref name="from"/>. Stride 2, the common case, takes 16 outputs from two vectors with one
    /// permute instead of 16 scalar loads; larger strides gather eight at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strided(float* from, float* to, int count, int stride, long available)
    {
        int i = 0;
        if (stride == 2 && Avx512F.IsSupported)
        {
            Vector512<int> evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
            for (; i + 16 <= count && 2L * i + 32 <= available; i += 16)
            {
                Vector512<float> low = Vector512.Load(from + 2 * i), high = Vector512.Load(from + 2 * i + 16);
                Avx512F.PermuteVar16x32x2(low, evens, high).Store(to + i);
            }
            // The tail as one more vector that overlaps the last one, when the row has the 32 inputs it reads.
            int last = count - 16;
            if (i < count && last >= 0 && 2L * last + 32 <= available)
            {
                Vector512<float> low = Vector512.Load(from + 2 * last), high = Vector512.Load(from + 2 * last + 16);
                Avx512F.PermuteVar16x32x2(low, evens, high).Store(to + last);
                i = count;
            }
        }
        else if (stride > 2 && Avx2.IsSupported)
        {
            // Larger strides take every stride-th float by a gather of eight: one at a time, a stride-4 layer spent a
            // quarter of its call here.
            Vector256<int> steps = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
            for (; i + 8 <= count && (long)stride * (i + 7) < available; i += 8)
            {
                Avx2.GatherVector256(from + (long)i * stride, steps, 4).Store(to + i);
            }
        }
        for (; i < count; i++) to[i] = from[(long)i * stride];
    }
}
