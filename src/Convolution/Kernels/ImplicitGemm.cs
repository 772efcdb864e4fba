using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Conv.Notebook;

/// <summary>
/// One convolution as a matrix product that is never materialised: output[channel, q] = Σ_k weight[channel, k] ·
/// input[offset[k] + q], where q runs over the output positions laid out at the width of the packed input.
/// </summary>
/// <remarks>
/// Laying the outputs at the input's row width makes every tap a constant shift of q, so the tile's inputs are
/// contiguous loads straight from the packed input, without an im2col copy. A tile is three vectors of positions.
/// When a row's real outputs fill whole vectors without using more of them than the row width would (a stem's 112
/// columns at width 113), each vector holds one row's outputs and is stored straight into the output; otherwise the
/// vectors run on across rows, and the few columns past the real output width are computed and thrown away.
/// Forward convolutions use one problem; a transposed convolution uses one per output phase, each a stride-1
/// convolution written at stride spacing.
/// </remarks>
internal unsafe struct ImplicitGemm
{
    public KernelKind Kind;
    public int TileRows, TileColumns;

    /// <summary>Weights as [group][row block][k][row within block], zero beyond the last row.</summary>
    public float* Weights;

    /// <summary>Bias as [group][row block][row within block], zero without a bias.</summary>
    public float* Bias;

    /// <summary>Per k, the input shift of that tap relative to q.</summary>
    public int* Offsets;
    public int Depth;

    /// <summary>How much of the depth one pass over the row blocks covers, so that its inputs fit in L1.</summary>
    public int SliceDepth;
    public int RowsPerGroup, RowBlocks, RowChunks, BlocksPerChunk;

    /// <summary>How many neighbouring panels one work item computes, and so how many runs of panels there are.</summary>
    public int PanelsPerItem, PanelRuns;
    public int Batch, Groups;

    public float* Input;
    public long InputImageStride, InputGroupStride;

    /// <summary>The row width of the q layout, and how many of its columns and rows are real outputs.</summary>
    public int QWidth, ValidColumns, ValidRows;
    public int QCount, Panels;

    /// <summary>Vectors per row when every vector holds one row's outputs (0 when the vectors run on across rows), and how many there are.</summary>
    public int VectorsPerRow, Vectors;

    /// <summary>
    /// What <see cref="RunTiles"/> counts tiles in: vectors with whole-row vectors, positions q otherwise. A panel is
    /// <see cref="PanelStep"/> of them, and none lies at or past <see cref="Limit"/>.
    /// </summary>
    public int PanelStep, Limit;

    /// <summary>The output element of q = 0, channel 0, image 0, and the steps to the next image, channel, row and column.</summary>
    public float* Output;
    public long OutputImageStride, OutputChannelStride;
    public int OutputRowStride, OutputColumnStride;

    /// <summary>
    /// Sets <see cref="SliceDepth"/> for kernels of <paramref name="tapsPerChannel"/> taps: whole channels, about 600 taps
    /// (a 64-channel 3×3 layer in one slice), whose input rows (about 1 KB per channel for a 3×3 kernel, 4 KB for a
    /// stride-2 7×7 one) stay in L1 and L2 while every block of rows reads them. Every slice after the first reloads the
    /// tiles' sums: with slices of about 96 taps, a 7×7 stem's three channels took three passes and ran 8 % slower; with
    /// about 300, a 128 → 256 stride-2 layer on 28² took 4–5 % longer than with 600 (`ab` both ways round, the shape added
    /// to the bench's list for it), and the 64-channel layers were no faster.
    /// </summary>
    public void ChooseSlice(int tapsPerChannel)
    {
        int taps = Math.Max(1, tapsPerChannel);
        SliceDepth = taps >= SliceTaps ? taps : SliceTaps / taps * taps;
    }

    /// <summary>About how many taps one pass over the row blocks covers (see <see cref="ChooseSlice"/>).</summary>
    public const int SliceTaps = 600;

    /// <summary>Sets up the q layout of <paramref name="validRows"/> × <paramref name="validColumns"/> outputs at row width <paramref name="qWidth"/>.</summary>
    public void Layout(int qWidth, int validRows, int validColumns)
    {
        QWidth = qWidth;
        ValidRows = validRows;
        ValidColumns = validColumns;
        QCount = (validRows - 1) * qWidth + validColumns;
        int width = TileColumns / 3, perRow = (validColumns + width - 1) / width;
        VectorsPerRow = perRow * width <= qWidth ? perRow : 0;
        Vectors = validRows * VectorsPerRow;
        (PanelStep, Limit) = VectorsPerRow > 0 ? (3, Vectors) : (TileColumns, QCount);
        Panels = (Limit + PanelStep - 1) / PanelStep;
    }

    /// <summary>
    /// The work of output rows <paramref name="firstRow"/> to <paramref name="endRow"/> − 1 as arguments of
    /// <see cref="RunTiles"/>: from <paramref name="start"/> below <paramref name="stop"/> in steps of <paramref name="step"/>.
    /// </summary>
    public readonly void Rows(int firstRow, int endRow, out int start, out int stop, out int step)
    {
        step = PanelStep;
        (start, stop) = VectorsPerRow > 0
            ? (firstRow * VectorsPerRow, endRow * VectorsPerRow)
            : (firstRow * QWidth, (endRow - 1) * QWidth + ValidColumns);
    }

    /// <summary>
    /// One past the last input element that any tile reads, given the largest tap offset: the last panel reads a full
    /// tile width even where it runs past the last output, so the packed input needs zeroed slack up to here.
    /// </summary>
    public readonly long ReadEnd(int maxOffset) =>
        (Batch - 1) * InputImageStride + (Groups - 1) * InputGroupStride + maxOffset +
        (VectorsPerRow > 0 ? (long)ValidRows * QWidth : (long)Panels * TileColumns);

    /// <summary>Splits the row blocks and the panels so that there are enough work items for <paramref name="threads"/> threads.</summary>
    public void ChooseChunks(int threads)
    {
        long items = (long)Batch * Groups * Panels;
        // At most 16 blocks per item keeps the item's tiles (16 × 1.5 KB) on the stack and in L1.
        int chunks = (int)Math.Clamp(Math.Max((12L * threads + items - 1) / items, (RowBlocks + 15) / 16), 1, RowBlocks);
        BlocksPerChunk = (RowBlocks + chunks - 1) / chunks;
        RowChunks = (RowBlocks + BlocksPerChunk - 1) / BlocksPerChunk;
        // Neighbouring panels share the cache lines at their edges: handed to different threads one by one, those lines
        // travel between cores on every panel (a 1-D layer ran slower on two threads than on one). Runs of panels, about
        // eight items per thread, keep the sharing to the runs' edges and the threads busy to the end.
        long perPanel = (long)Batch * Groups * RowChunks;
        int runs = threads == 1 ? Panels : (int)Math.Clamp((8L * threads + perPanel - 1) / perPanel, 1, Panels);
        PanelsPerItem = (Panels + runs - 1) / runs;
        PanelRuns = (Panels + PanelsPerItem - 1) / PanelsPerItem;
    }

    public readonly int WorkItems => Batch * Groups * PanelRuns * RowChunks;

    /// <summary>Computes work item <paramref name="item"/>: one run of panels, for one chunk of row blocks, of one image and group.</summary>
    public static void RunItem(ImplicitGemm* p, int item)
    {
        int chunk = item % p->RowChunks;
        item /= p->RowChunks;
        int run = item % p->PanelRuns;
        item /= p->PanelRuns;
        int group = item % p->Groups;
        int n = item / p->Groups;
        int firstBlock = chunk * p->BlocksPerChunk, blocks = Math.Min(p->BlocksPerChunk, p->RowBlocks - firstBlock);
        int end = Math.Min(p->Panels, (run + 1) * p->PanelsPerItem);
        for (int panel = run * p->PanelsPerItem; panel < end; panel++)
        {
            RunTiles(p, n, group, panel * p->PanelStep, p->Limit, firstBlock, blocks);
        }
    }

    /// <summary>
    /// Computes the tile at <paramref name="first"/> (see <see cref="RunTiles"/>) of one image and group for row blocks
    /// <paramref name="fromBlock"/> to <paramref name="toBlock"/> − 1, <see cref="BlocksPerChunk"/> at a time.
    /// </summary>
    public static void RunBlocks(ImplicitGemm* p, int n, int group, int first, int limit, int fromBlock, int toBlock)
    {
        for (int block = fromBlock; block < toBlock; block += p->BlocksPerChunk)
        {
            RunTiles(p, n, group, first, limit, block, Math.Min(p->BlocksPerChunk, toBlock - block));
        }
    }

    /// <summary>
    /// Computes the outputs of one tile of one image and group, for <paramref name="blocks"/> row blocks from
    /// <paramref name="firstBlock"/>: with whole-row vectors, vectors <paramref name="first"/> to <paramref name="first"/> + 2
    /// (none at or past <paramref name="limit"/>); otherwise positions q = <paramref name="first"/> to
    /// <paramref name="first"/> + <see cref="TileColumns"/> − 1 (none at or past <paramref name="limit"/>).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunTiles(ImplicitGemm* p, int n, int group, int first, int limit, int firstBlock, int blocks)
    {
        int tileRows = p->TileRows, tileLength = tileRows * p->TileColumns;
        float* input = p->Input + n * p->InputImageStride + group * p->InputGroupStride;
        float* tiles = stackalloc float[blocks * tileLength];
        long blockWeights = (long)p->Depth * tileRows;
        float* weights = p->Weights + (long)(group * p->RowBlocks + firstBlock) * blockWeights;
        float* bias = p->Bias + (group * p->RowBlocks + firstBlock) * tileRows;
        float* output = p->Output + n * p->OutputImageStride + (long)(group * p->RowsPerGroup + firstBlock * tileRows) * p->OutputChannelStride;

        // Each third's positions (from start up to, not including, stop are real outputs of this tile) and where its
        // first one lies in the output. A third (one vector wide) whose positions are all real outputs of one row is
        // summed straight into the output; the others go through the scratch tile and are copied out without the
        // thrown-away columns.
        int third = p->TileColumns / 3;
        Third(p, first, limit, 0, output, out int start0, out int stop0, out float* line0, out bool direct0);
        Third(p, first, limit, 1, output, out int start1, out int stop1, out float* line1, out bool direct1);
        Third(p, first, limit, 2, output, out int start2, out int stop2, out float* line2, out bool direct2);
        float* left = direct0 ? line0 : null, middle = direct1 ? line1 : null, right = direct2 ? line2 : null;
        // The last panel's last thirds may hold no output at all; the micro-kernel leaves them out.
        int thirds = stop2 > start2 ? 3 : stop1 > start1 ? 2 : 1;
        long blockStride = tileRows * p->OutputChannelStride, outputStep = p->OutputChannelStride, scratchStep = p->TileColumns;
        // The output lines of a block of rows are asked for before the block before it computes, so that they arrive
        // while it does: with a shallow depth (a 3-channel stem) a block would otherwise wait on every store's cache miss.
        // Asked for all at once, the whole tile's lines (up to 16 blocks of 8 rows, 4 lines a row) filled the core's
        // queue of outstanding misses, and the 3×3 stem ran 7 % slower.
        bool adjacent = line1 == line0 + third && line2 == line1 + third;
        PrefetchRows(line0, line1, line2, third, adjacent, 0, tileRows, outputStep);
        int k0 = 0;
        do
        {
            // Slice by slice of the depth, every block of rows: the slice's inputs stay in the cache while all blocks use them.
            int depth = Math.Min(p->SliceDepth, p->Depth - k0);
            for (int block = 0; block < blocks; block++)
            {
                if (k0 == 0 && block + 1 < blocks) PrefetchRows(line0, line1, line2, third, adjacent, (block + 1) * tileRows, tileRows, outputStep);
                bool full = (firstBlock + block + 1) * tileRows <= p->RowsPerGroup;
                float* scratch = tiles + block * tileLength;
                long offset = block * blockStride;
                var targets = new TileTargets
                {
                    LeftInput = input + start0,
                    MiddleInput = input + start1,
                    RightInput = input + start2,
                    Left = full && left != null ? left + offset : scratch,
                    Middle = full && middle != null ? middle + offset : scratch + third,
                    Right = full && right != null ? right + offset : scratch + 2 * third,
                    LeftStep = full && left != null ? outputStep : scratchStep,
                    MiddleStep = full && middle != null ? outputStep : scratchStep,
                    RightStep = full && right != null ? outputStep : scratchStep,
                };
                MicroKernels.Tile(p->Kind, weights + block * blockWeights + (long)k0 * tileRows, depth, p->Offsets + k0,
                    k0 == 0 ? bias + block * tileRows : null, &targets, thirds);
            }
            k0 += depth;
        }
        while (k0 < p->Depth);

        for (int block = 0; block < blocks; block++)
        {
            int firstRow = (firstBlock + block) * tileRows;
            int rows = Math.Min(tileRows, p->RowsPerGroup - firstRow);
            float* scratch = tiles + block * tileLength, target = output + block * blockStride;
            bool full = rows == tileRows;
            if (!full || left == null) Store(p, scratch, rows, start0, stop0, target);
            if (!full || middle == null) Store(p, scratch + third, rows, start1, stop1, target);
            if (!full || right == null) Store(p, scratch + 2 * third, rows, start2, stop2, target);
        }
    }

    /// <summary>
    /// Asks for the output lines of <paramref name="rows"/> tile rows from row <paramref name="firstRow"/>: thirds side by
    /// side in one row (<paramref name="adjacent"/>) span four lines at most, thirds elsewhere two each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchRows(float* line0, float* line1, float* line2, int third, bool adjacent, int firstRow, int rows, long outputStep)
    {
        if (!Sse.IsSupported) return;
        for (long r = 0, at = firstRow * outputStep; r < rows; r++, at += outputStep)
        {
            Sse.Prefetch0(line0 + at);
            Sse.Prefetch0(line0 + at + third - 1);
            Sse.Prefetch0(line1 + at + third - 1);
            Sse.Prefetch0(line2 + at + third - 1);
            if (!adjacent)
            {
                Sse.Prefetch0(line1 + at);
                Sse.Prefetch0(line2 + at);
            }
        }
    }

    /// <summary>
    /// The positions of third <paramref name="t"/> of the tile at <paramref name="first"/> (see <see cref="RunTiles"/>):
    /// it reads from <paramref name="start"/> on, and the positions below <paramref name="stop"/> are real outputs of this
    /// tile. <paramref name="line"/> is where its first position lies in <paramref name="output"/>, and
    /// <paramref name="direct"/> whether it is a whole vector of real outputs of one row, to be summed there in place.
    /// A whole-row vector past the last one reads the first third's inputs again and stores nothing.
    /// </summary>
    private static void Third(ImplicitGemm* p, int first, int limit, int t, float* output,
        out int start, out int stop, out float* line, out bool direct)
    {
        int width = p->TileColumns / 3, y, x;
        if (p->VectorsPerRow == 0)
        {
            start = first + t * width;
            stop = Math.Clamp(limit, start, start + width);
            y = start / p->QWidth;
            x = start - y * p->QWidth;
        }
        else
        {
            int vector = first + t < limit ? first + t : first;
            y = vector / p->VectorsPerRow;
            x = (vector - y * p->VectorsPerRow) * width;
            start = y * p->QWidth + x;
            stop = first + t < limit ? start + Math.Min(width, p->ValidColumns - x) : start;
        }
        line = output + (long)y * p->OutputRowStride + (long)x * p->OutputColumnStride;
        direct = p->OutputColumnStride == 1 && stop - start == width && x + width <= p->ValidColumns;
    }

    /// <summary>
    /// Copies the real outputs at positions q0 to <paramref name="qEnd"/> − 1 from a scratch tile (rows
    /// <see cref="TileColumns"/> apart), skipping the thrown-away columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Store(ImplicitGemm* p, float* tile, int rows, int q0, int qEnd, float* output)
    {
        int width = p->QWidth, valid = p->ValidColumns, columnStride = p->OutputColumnStride;
        int y = q0 / width, x = q0 - y * width;
        for (int q = q0; q < qEnd; y++, x = 0)
        {
            int run = Math.Min(qEnd - q, width - x);
            int count = Math.Min(run, valid - x);
            if (count > 0)
            {
                float* source = tile + (q - q0);
                float* target = output + (long)y * p->OutputRowStride + (long)x * columnStride;
                for (int r = 0; r < rows; r++)
                {
                    float* s = source + r * p->TileColumns;
                    float* t = target + r * p->OutputChannelStride;
                    if (columnStride == 1)
                    {
                        CopyShort(s, t, count);
                    }
                    else
                    {
                        for (int i = 0; i < count; i++) t[i * columnStride] = s[i];
                    }
                }
            }
            q += run;
        }
    }

    /// <summary>
    /// Copies up to a tile row of floats with whole vectors, the last one overlapping the one before: for these short
    /// runs a general memory copy spends more on its call and size dispatch than on the copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort(float* source, float* target, int count)
    {
        if (Vector512.IsHardwareAccelerated && count >= 16)
        {
            for (int i = 0; i < count - 16; i += 16) Vector512.Store(Vector512.Load(source + i), target + i);
            Vector512.Store(Vector512.Load(source + count - 16), target + count - 16);
        }
        else if (count >= 4)
        {
            for (int i = 0; i < count - 4; i += 4) Vector128.Store(Vector128.Load(source + i), target + i);
            Vector128.Store(Vector128.Load(source + count - 4), target + count - 4);
        }
        else
        {
            for (int i = 0; i < count; i++) target[i] = source[i];
        }
    }

    /// <summary>
    /// Where the micro-kernel reads and keeps each third of a tile: the input at its first position, a pointer to its
    /// row 0 and the step between rows.
    /// </summary>
    public struct TileTargets
    {
        public float* LeftInput, MiddleInput, RightInput;
        public float* Left, Middle, Right;
        public long LeftStep, MiddleStep, RightStep;
    }
}
