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

    /// <summary>
    /// How many row and column phases, from phase 0, any tap reads (0 means all of them): a kernel smaller than its
    /// stride reads only the first k of s phases (a 3 × 3 kernel at stride 4 three of four, a 1 × 1 kernel one), and the
    /// other planes are left unwritten. Their rows feed only positions that are thrown away.
    /// </summary>
    public int RowPhases, ColumnPhases;

    /// <summary>Whether the padding is zeros (<see cref="PaddingMode.Zeros"/>), which masked loads give without laying a padded row out.</summary>
    public bool ZeroPadded;

    private readonly int RowPhaseCount => RowPhases > 0 ? RowPhases : StrideH;

    private readonly int ColumnPhaseCount => ColumnPhases > 0 ? ColumnPhases : StrideW;

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
        // A map may be shorter than the padded size, when no tap reads the last padded rows or columns.
        int filled = Math.Min(padded, map.Length);
        PadRules.FillSourceMap(map[..filled], mode, size, before);
        map[filled..].Fill(-1);
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
        int rowPhases = p->RowPhaseCount, columnPhases = p->ColumnPhaseCount;
        if (p->StrideW == 2 && columnPhases == 2 && Avx512F.IsSupported)
        {
            // Both column phases of a row from one pass over it: each pair of loads gives 16 columns of each. The padded
            // rows go in order, all row phases of a plane row together, so the source is read once from front to back:
            // phase by phase, the stride-2 layer ran 10–20 % slower on two threads (`ab`, both builds in one process).
            for (int y = firstRow; y < endRow; y++)
            {
                for (int a = 0; a < rowPhases; a++)
                {
                    float* evenPlane = target + (long)(a * 2) * rows * planeW, oddPlane = evenPlane + (long)rows * planeW;
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
        if (p->StrideW >= 3 && p->StrideW <= MaxDeinterleaved && ScratchRowLength(p) <= MaxScratchFloats && Avx512F.IsSupported)
        {
            PackDeinterleaved(p, source, target, firstRow, endRow);
            return;
        }
        for (int a = 0; a < rowPhases; a++)
        {
            for (int b = 0; b < columnPhases; b++)
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

    /// <summary>The largest column stride that <see cref="PackDeinterleaved"/> takes; larger ones go phase by phase.</summary>
    private const int MaxDeinterleaved = 8;

    /// <summary>The most floats of scratch rows <see cref="PackDeinterleaved"/> puts on the stack (64 KB); longer rows go phase by phase.</summary>
    private const int MaxScratchFloats = 16384;

    /// <summary>The floats of one scratch row: the padded row, rounded up to whole blocks of 16·s.</summary>
    private static long ScratchRowLength(PhasePacking* p) => (p->PlaneW + 15L) / 16 * 16 * p->StrideW;

    /// <summary>
    /// Packs rows <paramref name="firstRow"/> to <paramref name="endRow"/> − 1 of every phase plane for column strides 3
    /// to <see cref="MaxDeinterleaved"/>: padded rows are laid out in scratch rows, and every 16·s floats of one give 16
    /// columns of each of the s column phases by permutes (s − 1 per phase). Phase by phase, row by row, a stride-4
    /// layer spent more than half its call packing, most of it on the short rows' edges and calls.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackDeinterleaved(PhasePacking* p, float* source, float* target, int firstRow, int endRow)
    {
        if (p->ZeroPadded)
        {
            PackDeinterleavedZeros(p, source, target, firstRow, endRow);
            return;
        }
        int s = p->StrideW, planeW = p->PlaneW, rows = p->Rows, width = p->Width, padLeft = p->PadLeft;
        int rowPhases = p->RowPhaseCount, columnPhases = p->ColumnPhaseCount;
        int blocks = (planeW + 15) / 16, padded = s * planeW, rowLength = (int)ScratchRowLength(p);
        // Several rows are laid out before any is read back: a vector load of floats stored a moment before by stores of
        // other sizes waits for them to reach the cache, and row by row that wait took a third of the packing. What lies
        // past a padded row feeds only columns that are not stored.
        int scratchRows = Math.Clamp(MaxScratchFloats / rowLength, 1, ScratchRows);
        float* scratch = stackalloc float[scratchRows * rowLength];
        Vector512<int>* steps = stackalloc Vector512<int>[s * (s - 1)];
        DeinterleaveSteps(s, steps);
        int* map = p->ColumnMap;
        int left = Math.Min(padLeft, padded), right = Math.Min(padLeft + width, padded);
        long planeLength = (long)rows * planeW;
        // The last block's columns within the plane, for its masked stores.
        int lastCount = planeW - (blocks - 1) * 16;
        Vector512<float> lastMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lastCount)).AsSingle();
        // The padded rows in order (row phase a of plane row y is padded row y·s_h + a), so the source is read once from
        // front to back.
        int sh = p->StrideH, firstPadded = firstRow * sh, endPadded = endRow * sh;
        for (int r0 = firstPadded; r0 < endPadded; r0 += scratchRows)
        {
            int batch = Math.Min(scratchRows, endPadded - r0);
            for (int i = 0; i < batch; i++)
            {
                int sourceRow = p->RowMap[r0 + i];
                if (sourceRow < 0 || (r0 + i) % sh >= rowPhases) continue;
                float* from = source + (long)sourceRow * width, row = scratch + i * rowLength;
                for (int c = 0; c < left; c++) row[c] = map[c] < 0 ? 0f : from[map[c]];
                Unsafe.CopyBlockUnaligned(row + left, from + (left - padLeft), (uint)(right - left) * sizeof(float));
                for (int c = right; c < padded; c++) row[c] = map[c] < 0 ? 0f : from[map[c]];
            }
            for (int i = 0; i < batch; i++)
            {
                int y = (r0 + i) / sh, a = r0 + i - y * sh;
                if (a >= rowPhases) continue;
                float* planes = target + a * s * planeLength;
                if (p->RowMap[r0 + i] < 0)
                {
                    for (int b = 0; b < columnPhases; b++) new Span<float>(planes + b * planeLength + (long)y * planeW, planeW).Clear();
                    continue;
                }
                float* row = scratch + i * rowLength;
                for (int block = 0; block < blocks; block++)
                {
                    float* inputs = row + block * 16 * s;
                    // A row's last vector, when it overhangs the plane's width by at most a row, runs into the next row of
                    // its plane, which this loop writes later; the last row's, and longer overhangs, are masked.
                    int x = block * 16;
                    bool whole = block + 1 < blocks || lastCount == 16 || (y + 1 < endRow && 16 - lastCount <= planeW);
                    for (int b = 0; b < columnPhases; b++)
                    {
                        Vector512<int>* phaseSteps = steps + b * (s - 1);
                        Vector512<float> columns = Avx512F.PermuteVar16x32x2(Vector512.Load(inputs), phaseSteps[0], Vector512.Load(inputs + 16));
                        for (int j = 2; j < s; j++) columns = Avx512F.PermuteVar16x32x2(columns, phaseSteps[j - 1], Vector512.Load(inputs + 16 * j));
                        float* to = planes + b * planeLength + (long)y * planeW + x;
                        if (whole) columns.Store(to);
                        else Avx512F.MaskStore(to, lastMask, columns);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="PackDeinterleaved"/> for zero padding: the 16·s padded columns of a block are read straight from the
    /// source row by masked loads, whose lanes in the padding (or past the row) give zeros, so no row is laid out first:
    /// packing the stride-4 layer's 64 channels of 56² took 77 µs through scratch rows, 46 µs this way (the phases its
    /// 3 × 3 kernel reads only, packed alone and hot in the cache).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackDeinterleavedZeros(PhasePacking* p, float* source, float* target, int firstRow, int endRow)
    {
        int s = p->StrideW, sh = p->StrideH, planeW = p->PlaneW, width = p->Width, padLeft = p->PadLeft;
        int rowPhases = p->RowPhaseCount, columnPhases = p->ColumnPhaseCount;
        int blocks = (planeW + 15) / 16;
        long planeLength = (long)p->Rows * planeW;
        Vector512<int>* steps = stackalloc Vector512<int>[s * (s - 1)];
        DeinterleaveSteps(s, steps);
        // Which lanes of each of a row's vectors fall on the source row: vector v holds padded columns 16v to 16v + 15,
        // source columns 16v − padLeft on.
        int vectors = blocks * s;
        Vector512<float>* masks = stackalloc Vector512<float>[vectors];
        for (int v = 0; v < vectors; v++)
        {
            Vector512<int> column = Vector512<int>.Indices + Vector512.Create(16 * v - padLeft);
            masks[v] = (Vector512.GreaterThanOrEqual(column, Vector512<int>.Zero) & Vector512.LessThan(column, Vector512.Create(width))).AsSingle();
        }
        int lastCount = planeW - (blocks - 1) * 16;
        Vector512<float> lastMask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lastCount)).AsSingle();
        for (int y = firstRow; y < endRow; y++)
        {
            for (int a = 0; a < rowPhases; a++)
            {
                float* planes = target + a * s * planeLength + (long)y * planeW;
                int sourceRow = p->RowMap[y * sh + a];
                if (sourceRow < 0)
                {
                    for (int b = 0; b < columnPhases; b++) new Span<float>(planes + b * planeLength, planeW).Clear();
                    continue;
                }
                float* from = source + (long)sourceRow * width - padLeft;
                for (int block = 0; block < blocks; block++)
                {
                    // The block's s vectors, in registers: vector j only where the stride has it.
                    float* at = from + 16 * block * s;
                    Vector512<float>* mask = masks + block * s;
                    Vector512<float> v0 = Avx512F.MaskLoad(at, mask[0], Vector512<float>.Zero);
                    Vector512<float> v1 = Avx512F.MaskLoad(at + 16, mask[1], Vector512<float>.Zero);
                    Vector512<float> v2 = Avx512F.MaskLoad(at + 32, mask[2], Vector512<float>.Zero), v3 = default, v4 = default;
                    Vector512<float> v5 = default, v6 = default, v7 = default;
                    if (s > 3) v3 = Avx512F.MaskLoad(at + 48, mask[3], Vector512<float>.Zero);
                    if (s > 4) v4 = Avx512F.MaskLoad(at + 64, mask[4], Vector512<float>.Zero);
                    if (s > 5) v5 = Avx512F.MaskLoad(at + 80, mask[5], Vector512<float>.Zero);
                    if (s > 6) v6 = Avx512F.MaskLoad(at + 96, mask[6], Vector512<float>.Zero);
                    if (s > 7) v7 = Avx512F.MaskLoad(at + 112, mask[7], Vector512<float>.Zero);
                    // As in PackDeinterleaved: an overhang into the next row of the plane, which this loop writes later, is harmless.
                    bool whole = block + 1 < blocks || lastCount == 16 || (y + 1 < endRow && 16 - lastCount <= planeW);
                    for (int b = 0; b < columnPhases; b++)
                    {
                        Vector512<int>* st = steps + b * (s - 1);
                        Vector512<float> columns = Avx512F.PermuteVar16x32x2(Avx512F.PermuteVar16x32x2(v0, st[0], v1), st[1], v2);
                        if (s > 3) columns = Avx512F.PermuteVar16x32x2(columns, st[2], v3);
                        if (s > 4) columns = Avx512F.PermuteVar16x32x2(columns, st[3], v4);
                        if (s > 5) columns = Avx512F.PermuteVar16x32x2(columns, st[4], v5);
                        if (s > 6) columns = Avx512F.PermuteVar16x32x2(columns, st[5], v6);
                        if (s > 7) columns = Avx512F.PermuteVar16x32x2(columns, st[6], v7);
                        float* to = planes + b * planeLength + block * 16;
                        if (whole) columns.Store(to);
                        else Avx512F.MaskStore(to, lastMask, columns);
                    }
                }
            }
        }
    }

    /// <summary>How many padded rows <see cref="PackDeinterleaved"/> lays out before it reads them back, where they fit.</summary>
    private const int ScratchRows = 8;

    /// <summary>
    /// The permute indices that gather floats b, b + s, …, b + 15·s of 16·s consecutive floats, for every phase b:
    /// step 1 takes those among the first two vectors, step j ≥ 2 keeps what it has and takes those in vector j.
    /// </summary>
    private static void DeinterleaveSteps(int s, Vector512<int>* steps)
    {
        Vector512<int> lanes = Vector512<int>.Indices;
        for (int b = 0; b < s; b++)
        {
            Vector512<int> wanted = lanes * s + Vector512.Create(b);
            steps[b * (s - 1)] = Vector512.ConditionalSelect(Vector512.LessThan(wanted, Vector512.Create(32)), wanted, lanes);
            for (int j = 2; j < s; j++)
            {
                Vector512<int> inVector = wanted - Vector512.Create(16 * j);
                Vector512<int> here = Vector512.GreaterThanOrEqual(inVector, Vector512<int>.Zero) & Vector512.LessThan(inVector, Vector512.Create(16));
                steps[b * (s - 1) + j - 1] = Vector512.ConditionalSelect(here, inVector + Vector512.Create(16), lanes);
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
        int first = (int)Math.Min(planeW, (padLeft + 1L) / 2), last = (int)Math.Min(planeW - 16, (width + (long)padLeft - 32) / 2);
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
        // Plane columns whose padded column b + x·s falls on the source, in order, from first to end, within the plane: a
        // plane narrower than the padding (one output, far inside it) has no such column.
        int first = padLeft <= b ? 0 : (int)Math.Min(planeW, ((long)padLeft - b + stride - 1) / stride);
        int end = (int)Math.Clamp(((long)padLeft + width - b + stride - 1) / stride, first, planeW);
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
            // Strides that the permutes of PackDeinterleaved do not take (above 8, or without AVX-512) take every
            // stride-th float by a gather of eight: one at a time, a stride-4 layer spent a quarter of its call here.
            Vector256<int> steps = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * stride;
            for (; i + 8 <= count && (long)stride * (i + 7) < available; i += 8)
            {
                Avx2.GatherVector256(from + (long)i * stride, steps, 4).Store(to + i);
            }
        }
        for (; i < count; i++) to[i] = from[(long)i * stride];
    }
}
