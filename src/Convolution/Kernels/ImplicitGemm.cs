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
/// contiguous loads straight from the packed input, without an im2col copy. The price is a few columns per row
/// (those past the real output width) that are computed and thrown away. Forward convolutions use one problem;
/// a transposed convolution uses one per output phase, each a stride-1 convolution written at stride spacing.
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
    public int Batch, Groups;

    public float* Input;
    public long InputImageStride, InputGroupStride;

    /// <summary>The row width of the q layout, and how many of its columns and rows are real outputs.</summary>
    public int QWidth, ValidColumns, ValidRows;
    public int QCount, Panels;

    /// <summary>The output element of q = 0, channel 0, image 0, and the steps to the next image, channel, row and column.</summary>
    public float* Output;
    public long OutputImageStride, OutputChannelStride;
    public int OutputRowStride, OutputColumnStride;

    /// <summary>
    /// Sets <see cref="SliceDepth"/> for kernels of <paramref name="tapsPerChannel"/> taps: whole channels, about 96 taps,
    /// whose input rows (a few KB per channel) fit in L1 beside the tiles.
    /// </summary>
    public void ChooseSlice(int tapsPerChannel)
    {
        int taps = Math.Max(1, tapsPerChannel);
        SliceDepth = taps >= 96 ? taps : 96 / taps * taps;
    }

    /// <summary>Sets up the q layout of <paramref name="validRows"/> × <paramref name="validColumns"/> outputs at row width <paramref name="qWidth"/>.</summary>
    public void Layout(int qWidth, int validRows, int validColumns)
    {
        QWidth = qWidth;
        ValidRows = validRows;
        ValidColumns = validColumns;
        QCount = (validRows - 1) * qWidth + validColumns;
        Panels = (QCount + TileColumns - 1) / TileColumns;
    }

    /// <summary>
    /// One past the last input element that any tile reads, given the largest tap offset: the last panel reads a full
    /// tile width even where it runs past the last output, so the packed input needs zeroed slack up to here.
    /// </summary>
    public readonly long ReadEnd(int maxOffset) =>
        (Batch - 1) * InputImageStride + (Groups - 1) * InputGroupStride + maxOffset + (long)Panels * TileColumns;

    /// <summary>Splits the row blocks so that there are enough work items for <paramref name="threads"/> threads.</summary>
    public void ChooseChunks(int threads)
    {
        long items = (long)Batch * Groups * Panels;
        // At most 16 blocks per item keeps the item's tiles (16 × 1.5 KB) on the stack and in L1.
        int chunks = (int)Math.Clamp(Math.Max((12L * threads + items - 1) / items, (RowBlocks + 15) / 16), 1, RowBlocks);
        BlocksPerChunk = (RowBlocks + chunks - 1) / chunks;
        RowChunks = (RowBlocks + BlocksPerChunk - 1) / BlocksPerChunk;
    }

    public readonly int WorkItems => Batch * Groups * Panels * RowChunks;

    /// <summary>Runs every tile on up to <paramref name="threads"/> threads.</summary>
    public void Run(int threads)
    {
        fixed (ImplicitGemm* self = &this)
        {
            WorkSplitter.For(WorkItems, threads, &RunItem, self);
        }
    }

    private static void RunItem(void* state, int item) => RunItem((ImplicitGemm*)state, item);

    /// <summary>Computes work item <paramref name="item"/>: one panel of positions, for one chunk of row blocks, of one image and group.</summary>
    public static void RunItem(ImplicitGemm* p, int item)
    {
        int chunk = item % p->RowChunks;
        item /= p->RowChunks;
        int panel = item % p->Panels;
        item /= p->Panels;
        int group = item % p->Groups;
        int n = item / p->Groups;
        int firstBlock = chunk * p->BlocksPerChunk;
        RunTiles(p, n, group, panel * p->TileColumns, p->QCount, firstBlock, Math.Min(p->BlocksPerChunk, p->RowBlocks - firstBlock));
    }

    /// <summary>
    /// Computes the outputs of one image and group at positions q0 to q0 + <see cref="TileColumns"/> − 1 (none at or past
    /// <paramref name="limit"/>), for <paramref name="blocks"/> row blocks from <paramref name="firstBlock"/>.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunTiles(ImplicitGemm* p, int n, int group, int q0, int limit, int firstBlock, int blocks)
    {
        int tileRows = p->TileRows, tileLength = tileRows * p->TileColumns;
        float* input = p->Input + n * p->InputImageStride + group * p->InputGroupStride + q0;
        float* tiles = stackalloc float[blocks * tileLength];
        long blockWeights = (long)p->Depth * tileRows;
        float* weights = p->Weights + (long)(group * p->RowBlocks + firstBlock) * blockWeights;
        float* bias = p->Bias + (group * p->RowBlocks + firstBlock) * tileRows;
        float* output = p->Output + n * p->OutputImageStride + (long)(group * p->RowsPerGroup + firstBlock * tileRows) * p->OutputChannelStride;

        // Each third of a tile (one vector wide) whose positions are all real outputs of one row is summed straight
        // into the output; the others go through the scratch tile and are copied out without the thrown-away columns.
        int third = p->TileColumns / 3;
        float* left = DirectThird(p, q0, limit, output), middle = DirectThird(p, q0 + third, limit, output), right = DirectThird(p, q0 + 2 * third, limit, output);
        long blockStride = tileRows * p->OutputChannelStride, outputStep = p->OutputChannelStride, scratchStep = p->TileColumns;
        if (Sse.IsSupported)
        {
            // The output lines this tile writes, asked for now so that they arrive while it computes: with a shallow
            // depth (a 3-channel stem) the tile would otherwise wait on every store's cache miss.
            int y = q0 / p->QWidth;
            float* lines = output + (long)y * p->OutputRowStride + (q0 - y * p->QWidth);
            for (int r = 0; r < blocks * tileRows; r++, lines += outputStep)
            {
                Sse.Prefetch0(lines);
                Sse.Prefetch0(lines + 16);
                Sse.Prefetch0(lines + 32);
                Sse.Prefetch0(lines + 47);
            }
        }
        int k0 = 0;
        do
        {
            // Slice by slice of the depth, every block of rows: the slice's inputs stay in L1 while all blocks use them.
            int depth = Math.Min(p->SliceDepth, p->Depth - k0);
            for (int block = 0; block < blocks; block++)
            {
                bool full = (firstBlock + block + 1) * tileRows <= p->RowsPerGroup;
                float* scratch = tiles + block * tileLength;
                long offset = block * blockStride;
                var targets = new TileTargets
                {
                    Left = full && left != null ? left + offset : scratch,
                    Middle = full && middle != null ? middle + offset : scratch + third,
                    Right = full && right != null ? right + offset : scratch + 2 * third,
                    LeftStep = full && left != null ? outputStep : scratchStep,
                    MiddleStep = full && middle != null ? outputStep : scratchStep,
                    RightStep = full && right != null ? outputStep : scratchStep,
                };
                MicroKernels.Tile(p->Kind, weights + block * blockWeights + (long)k0 * tileRows, depth, p->Offsets + k0, input,
                    k0 == 0 ? bias + block * tileRows : null, &targets);
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
            if (!full || left == null) Store(p, scratch, rows, q0, Math.Min(q0 + third, limit), target);
            if (!full || middle == null) Store(p, scratch + third, rows, q0 + third, Math.Min(q0 + 2 * third, limit), target);
            if (!full || right == null) Store(p, scratch + 2 * third, rows, q0 + 2 * third, Math.Min(q0 + 3 * third, limit), target);
        }
    }

    /// <summary>
    /// Where in the output a third of a tile starting at position <paramref name="q"/> goes when all its positions are
    /// real outputs of one row, so that it can be summed there directly; null when it must go through the scratch tile.
    /// </summary>
    private static float* DirectThird(ImplicitGemm* p, int q, int limit, float* output)
    {
        int third = p->TileColumns / 3, y = q / p->QWidth, x = q - y * p->QWidth;
        bool direct = p->OutputColumnStride == 1 && x + third <= p->ValidColumns && q + third <= limit;
        return direct ? output + (long)y * p->OutputRowStride + x : null;
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

    /// <summary>Where the micro-kernel keeps each third of a tile: a pointer to its row 0 and the step between rows.</summary>
    public struct TileTargets
    {
        public float* Left, Middle, Right;
        public long LeftStep, MiddleStep, RightStep;
    }
}
