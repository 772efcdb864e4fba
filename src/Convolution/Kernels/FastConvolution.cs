using System.Runtime.CompilerServices;

namespace Conv.Notebook;

/// <summary>
/// The fast paths behind <see cref="Convolution"/>: convolution and transposed convolution as implicit GEMMs on
/// register-blocked vector micro-kernels, spread over cores. They compute what <see cref="DirectConvolution"/>
/// computes, in another order of summation.
/// </summary>
/// <remarks>
/// A forward convolution packs the padded input into stride-phase planes (<see cref="PhasePacking"/>) and the
/// weights into blocks of tile rows, then runs one <see cref="ImplicitGemm"/>. A transposed convolution of stride s
/// is s_h·s_w ordinary stride-1 convolutions, one per output phase, each with the kernel taps that land on that
/// phase; so every output is written once, with no scatter and no col2im. Workspaces are kept per thread
/// (<see cref="Workspace"/>), so a call allocates only its output.
/// </remarks>
internal static unsafe class FastConvolution
{
    /// <summary>
    /// The most floats of workspace (packed input, all bands' copies included) a call of <paramref name="inputLength"/>
    /// input and <paramref name="outputLength"/> output floats may take: twice its own data, whatever the thread
    /// count, and at least 64 MB so that no ordinary layer is refused its bands. A call that needs more takes fewer bands,
    /// or the plain loops.
    /// </summary>
    public static long Budget(long inputLength, long outputLength) =>
        Math.Min(MaxWorkspace, Math.Max(1L << 24, 2 * (inputLength + outputLength)));

    /// <summary>The most floats one call's packed input holds, far below the largest array (2³¹ elements).</summary>
    private const long MaxWorkspace = 1L << 29;

    /// <summary>
    /// Forward convolution of <paramref name="g"/> (padding in <paramref name="mode"/>) into <paramref name="output"/>, which
    /// it fills entirely; false, with nothing written, when its packed input would be over <see cref="Budget"/>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="weightTensor"/> given, the packed weights are kept for the next call on this thread with the
    /// same tensor (<see cref="Workspace.PackedWeights"/>).
    /// </remarks>
    public static bool Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        PaddingMode mode, Span<float> output, KernelKind kind, int threads, Tensor? weightTensor = null)
    {
        int sh = g.StrideH, sw = g.StrideW;
        long hp = g.InH + 2L * g.PadH, wp = g.InW + 2L * g.PadW;
        // A plane holds the rows and columns some tap reads: output y reads plane rows y to y + (k_h − 1)·d_h / s_h. Where
        // the kernel is smaller than the stride, that is fewer than the padded size divided by the stride: a 3 × 3 layer
        // at stride 4 on 56² has 14 columns a row instead of 15, and no thrown-away column.
        long planeRows = Math.Min((hp + sh - 1) / sh, g.OutH + (g.KernelH - 1L) * g.DilationH / sh);
        long planeColumns = Math.Min((wp + sw - 1) / sw, g.OutW + (g.KernelW - 1L) * g.DilationW / sw);
        // Every size below is checked here, in 64 bits, against the budget (far below 2³¹), so the int arithmetic that
        // follows cannot overflow, and the workspace is as long as every write into it.
        long budget = Budget(input.Length, output.Length);
        long wholeCopy = Convolution.Product(g.Batch, g.InChannels, planeRows * sh, planeColumns * sw);
        if (wholeCopy > budget || planeRows * sh + planeColumns * sw > budget || (long)g.InPerGroup * g.KernelH * g.KernelW > budget)
        {
            return false;
        }
        int planeH = (int)planeRows, planeW = (int)planeColumns;
        // With two threads or more and enough output rows, each thread takes a band of the product's tiles (see
        // ForwardBand) and packs the plane rows that band reads into a copy of its own: no cache line is written by two
        // cores, and each band's packed input stays in the cache of the core that computes it. The copies store the most
        // rows any band reads; rows a band does not pack hold what an earlier call left there and, like the gap after a
        // channel, feed only positions that are thrown away.
        int kernelH = g.KernelH, kernelW = g.KernelW, taps = kernelH * kernelW;
        int depth = g.InPerGroup * taps;
        var gemm = NewGemm(kind, g, depth);
        gemm.Layout(planeW, g.OutH, g.OutW);
        bool bands = threads > 1 && g.OutH >= 4L * threads;
        int reach = (int)Math.Min(planeH, (g.KernelH - 1L) * g.DilationH / sh), storedRows = planeH;
        if (bands)
        {
            storedRows = 0;
            for (int band = 0; band < threads; band++)
            {
                (long firstUnit, long endUnit, int planeFirst, int planeEnd) = ForwardBand(gemm, band, threads, planeH, reach);
                if (firstUnit < endUnit) storedRows = Math.Max(storedRows, planeEnd - planeFirst);
            }
            // Each band's copy holds the rows it reads: with a long reach (a dilated kernel) that is most of the plane, and
            // one copy per thread would grow with the thread count. Over the budget, the bands share one copy.
            if ((long)g.Batch * threads * g.InChannels * ChannelStride((long)storedRows * planeW * sh * sw) > budget)
            {
                bands = false;
                storedRows = planeH;
            }
        }
        long plane = (long)storedRows * planeW, channel = ChannelStride(plane * sh * sw), image = channel * g.InChannels;
        gemm.InputImageStride = image;
        gemm.InputGroupStride = g.InPerGroup * channel;
        gemm.OutputImageStride = (long)g.OutChannels * g.OutH * g.OutW;
        gemm.OutputChannelStride = (long)g.OutH * g.OutW;
        gemm.OutputRowStride = g.OutW;
        gemm.OutputColumnStride = 1;
        gemm.ChooseChunks(threads);
        gemm.ChooseSlice(taps);

        // One int workspace holds the tap offsets, the weight indices and the two padding maps; one float workspace
        // the packed input (with its slack) and the packed bias; the packed weights have their own, kept for reuse.
        int rowMapLength = planeH * sh, columnMapLength = planeW * sw;
        long weightLength = (long)g.Groups * gemm.RowBlocks * depth * gemm.TileRows;
        long biasLength = (long)g.Groups * gemm.RowBlocks * gemm.TileRows;
        if (weightLength > MaxWorkspace) return false;
        int[] ints = Workspace.Ints(2L * depth + rowMapLength + columnMapLength);
        Span<int> offsets = ints.AsSpan(0, depth), weightIndex = ints.AsSpan(depth, depth);
        Span<int> rowMap = ints.AsSpan(2 * depth, rowMapLength), columnMap = ints.AsSpan(2 * depth + rowMapLength, columnMapLength);
        int maxOffset = TapTables.Forward(g, plane, planeW, channel, offsets);
        for (int k = 0; k < depth; k++) weightIndex[k] = k;
        long packedLength = g.Batch * (bands ? threads : 1) * image;
        // A band's last tile reads past its rows by up to a tile, as the last tile of the whole does.
        long readEnd = Math.Max(packedLength, bands
            ? packedLength - image + (g.Groups - 1) * gemm.InputGroupStride + maxOffset + plane + gemm.TileColumns
            : gemm.ReadEnd(maxOffset));
        if (readEnd + biasLength > MaxWorkspace + (MaxWorkspace >> 2)) return false;
        PhasePacking.FillMap(rowMap, mode, g.InH, g.PadH, g.PadH);
        PhasePacking.FillMap(columnMap, mode, g.InW, g.PadW, g.PadW);
        var layout = new WeightLayout(kind, g.Groups);
        (float[] floats, float[] packedWeights, long weightsAt, bool weightsReady) = TakeWorkspace(readEnd, biasLength, weightLength, weightTensor, layout);
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output, pPacked = floats, pPackedWeights = packedWeights)
        fixed (int* pOffsets = offsets, pWeightIndex = weightIndex, pRowMap = rowMap, pColumnMap = columnMap)
        {
            float* pPackedBias = pPacked + readEnd, pWeights = pPackedWeights + weightsAt;
            int weightItems = weightsReady ? 0 : g.Groups * gemm.RowBlocks;
            var packing = new PhasePacking
            {
                Source = pInput, Height = g.InH, Width = g.InW, Target = pPacked, StrideH = sh, StrideW = sw,
                PlaneH = planeH, PlaneW = planeW, RowMap = pRowMap, ColumnMap = pColumnMap, PadLeft = g.PadW, ChannelStride = channel,
                StoredRows = storedRows, RowPhases = UsedPhases(g.KernelH, g.DilationH, sh), ColumnPhases = UsedPhases(g.KernelW, g.DilationW, sw),
                ZeroPadded = mode == PaddingMode.Zeros,
            };
            new Span<float>(pPacked + packedLength, (int)(readEnd - packedLength)).Clear();
            PackBias(gemm, bias.IsEmpty ? null : pBias, pPackedBias);
            gemm.Input = pPacked;
            gemm.Weights = pWeights;
            gemm.Bias = pPackedBias;
            gemm.Offsets = pOffsets;
            gemm.Output = pOutput;
            var work = new Preparation
            {
                Packing = &packing, Channels = g.Batch * g.InChannels, Gemm = &gemm, Weight = pWeight, Index = pWeightIndex,
                GroupStride = (long)g.OutPerGroup * depth, RowStride = depth, Target = pWeights,
            };
            if (bands)
            {
                work.Channels = 0;
                work.Items = weightItems;
                work.Bands = threads;
                work.ChannelsPerImage = g.InChannels;
                work.Reach = reach;
                work.BandImage = image;
                WorkSplitter.For(work.Items + g.Batch * work.Bands, threads, &PrepareThenBands, &work);
            }
            else
            {
                work.Items = work.Channels + weightItems;
                WorkSplitter.For(work.Items + gemm.WorkItems, threads, &PrepareThenMultiply, &work);
            }
            if (weightTensor is not null && !weightsReady) Workspace.PackedWeightsAre(weightTensor, layout);
        }
        return true;
    }

    /// <summary>
    /// Transposed convolution of <paramref name="g"/> into <paramref name="output"/>, phase by phase: the outputs Y with
    /// (Y + p) mod s = a receive exactly the taps i with i·d mod s = a, from input row (Y + p − i·d) / s. With
    /// <paramref name="weightTensor"/> given, the weights packed for every phase are kept for the next call on this thread
    /// with the same tensor, stride and dilation. Every tap is finite: <see cref="Convolution.Transposed"/> sends an infinite
    /// or NaN one to the plain scatter. False, with nothing written, when the copies would be over <see cref="Budget"/>.
    /// </summary>
    public static bool Transposed(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, in ConvGeometry g,
        Span<float> output, KernelKind kind, int threads, Tensor? weightTensor = null)
    {
        int sh = g.StrideH, sw = g.StrideW;
        // The input padded by the largest step back that any tap takes. Sizes are checked in 64 bits against the budget
        // before any int arithmetic on them.
        (long backRows, long backColumns, long rowsNeeded, long columnsNeeded) = g.TransposedCopy();
        long budget = Budget(input.Length, output.Length);
        if (Convolution.Product(g.Batch, g.InChannels, rowsNeeded, columnsNeeded) > budget || !FewPhases(g) || (long)sh * sw > budget ||
            2L * (g.KernelH + g.KernelW) + rowsNeeded + columnsNeeded > budget || (long)g.InPerGroup * g.KernelH * g.KernelW > budget)
        {
            return false;
        }
        int backH = (int)backRows, backW = (int)backColumns;
        int paddedH = (int)rowsNeeded, paddedW = (int)columnsNeeded;
        long channel = (long)paddedH * paddedW, image = channel * g.InChannels;
        int taps = g.KernelH * g.KernelW;
        int maxDepth = g.InPerGroup * taps;
        var gemm = NewGemm(kind, g, maxDepth);
        gemm.InputImageStride = image;
        gemm.InputGroupStride = g.InPerGroup * channel;
        gemm.OutputImageStride = (long)g.OutChannels * g.OutH * g.OutW;
        gemm.OutputChannelStride = (long)g.OutH * g.OutW;
        gemm.OutputRowStride = sh * g.OutW;
        gemm.OutputColumnStride = sw;

        // The slack past the packed input that the widest phase's last tile may read, the most rows a phase has, and the
        // first padded row any phase's outputs read.
        long readEnd = g.Batch * image;
        int mostRows = 0, topRow = int.MaxValue;
        for (int a = 0; a < sh; a++)
        {
            for (int b = 0; b < sw; b++)
            {
                if (!Phase(g.PadH, a, sh, g.OutH, out int firstY, out int rows) || !Phase(g.PadW, b, sw, g.OutW, out int firstX, out int columns)) continue;
                gemm.Layout(paddedW, rows, columns);
                long start = (long)firstY * paddedW + firstX;
                readEnd = Math.Max(readEnd, start + gemm.ReadEnd((int)Math.Min(int.MaxValue, (g.InPerGroup - 1) * channel + (long)backH * paddedW + backW)));
                mostRows = Math.Max(mostRows, rows);
                topRow = Math.Min(topRow, firstY);
            }
        }
        // Bands of phase rows, each packing the padded rows it reads into a copy of the input of its own (laid out as the
        // whole, so that every tap's shift holds): no cache line is written by two cores.
        // Each band's copy is a whole image, so the bands are as many as the budget holds, not one per thread.
        int bands = (int)Math.Clamp(Math.Min(mostRows / 4, budget / Math.Max(1, (long)g.Batch * image)), 1, threads);
        long packedLength = g.Batch * bands * image;
        readEnd += (long)g.Batch * (bands - 1) * image;
        long biasLength = (long)g.Groups * gemm.RowBlocks * gemm.TileRows, weightLength = biasLength * maxDepth;
        if (readEnd + biasLength > MaxWorkspace + (MaxWorkspace >> 2) || weightLength > MaxWorkspace) return false;

        int phases = sh * sw, mapsAt = 2 * maxDepth, stepsAt = mapsAt + paddedH + paddedW, phasesAt = stepsAt + 2 * (g.KernelH + g.KernelW);
        int[] ints = Workspace.Ints((long)phasesAt + phases + 1);
        Span<int> offsets = ints.AsSpan(0, maxDepth), weightIndex = ints.AsSpan(maxDepth, maxDepth);
        Span<int> rowMap = ints.AsSpan(mapsAt, paddedH), columnMap = ints.AsSpan(mapsAt + paddedH, paddedW);
        Span<int> steps = ints.AsSpan(stepsAt, 2 * (g.KernelH + g.KernelW)), phaseStart = ints.AsSpan(phasesAt, phases + 1);
        PhasePacking.FillMap(rowMap, PaddingMode.Zeros, g.InH, backH, 0);
        PhasePacking.FillMap(columnMap, PaddingMode.Zeros, g.InW, backW, 0);
        // Every tap belongs to exactly one phase, so the phases' packed weights together take what one forward
        // convolution's do; phase by phase they lie one after the other.
        var layout = new WeightLayout(kind, g.Groups, sh, sw, g.DilationH, g.DilationW);
        (float[] floats, float[] packedWeights, long weightsAt, bool weightsReady) = TakeWorkspace(readEnd, biasLength, weightLength, weightTensor, layout);
        fixed (float* pInput = input, pWeight = weight, pBias = bias, pOutput = output, pPacked = floats, pPackedWeights = packedWeights)
        fixed (int* pOffsets = offsets, pWeightIndex = weightIndex, pRowMap = rowMap, pColumnMap = columnMap, pSteps = steps, pPhaseStart = phaseStart)
        {
            float* pPackedBias = pPacked + readEnd, pWeights = pPackedWeights + weightsAt;
            var packing = new PhasePacking
            {
                Source = pInput, Height = g.InH, Width = g.InW, Target = pPacked, StrideH = 1, StrideW = 1,
                PlaneH = paddedH, PlaneW = paddedW, RowMap = pRowMap, ColumnMap = pColumnMap, PadLeft = backW,
            };
            new Span<float>(pPacked + packedLength, (int)(readEnd - packedLength)).Clear();
            PackBias(gemm, bias.IsEmpty ? null : pBias, pPackedBias);
            gemm.Bias = pPackedBias;
            // The phases' taps lie one after the other, and so do their packed weights. Every phase's weights are packed,
            // even a phase without outputs in this call, so that the kept copy fits any later call with the same stride
            // and dilation.
            int* stepsY = pSteps, stepsX = pSteps + 2 * g.KernelH;
            TapTables.Steps(g.KernelH, g.DilationH, sh, stepsY);
            TapTables.Steps(g.KernelW, g.DilationW, sw, stepsX);
            int at = 0;
            for (int a = 0; a < sh; a++)
            {
                for (int b = 0; b < sw; b++)
                {
                    phaseStart[a * sw + b] = at;
                    int depth = TapTables.Phase(g, channel, paddedW, backH, backW, stepsY, stepsX, a, b, pOffsets + at, pWeightIndex);
                    if (!weightsReady)
                    {
                        gemm.Depth = depth;
                        PackWeights(gemm, pWeight, pWeightIndex, groupStride: (long)g.InPerGroup * g.OutPerGroup * taps, rowStride: taps, pWeights + biasLength * at);
                    }
                    at += depth;
                }
            }
            phaseStart[phases] = at;

            // All phases in one parallel pass, band by band: a band packs its rows and computes them in every phase. The
            // phases of an output row interleave in its cache lines, so a row is best written whole by one thread: phase
            // after phase on the whole team, the lines went from core to core and two threads were no faster than one.
            gemm.ChooseChunks(threads: 1);
            var pass = new TransposedPass
            {
                Gemm = &gemm, Geometry = g, Packing = &packing, PhaseStart = pPhaseStart, Offsets = pOffsets, Weights = pWeights,
                BiasLength = biasLength, Image = image, QWidth = paddedW, Rows = mostRows, Bands = bands, TopRow = topRow, Reach = backH + 1,
                Output = pOutput,
            };
            WorkSplitter.For(g.Batch * bands, threads, &RunPhases, &pass);
            if (weightTensor is not null && !weightsReady) Workspace.PackedWeightsAre(weightTensor, layout);
        }
        return true;
    }

    /// <summary>A transposed call's product: its settings, its bands, and where each phase's taps and weights lie.</summary>
    private struct TransposedPass
    {
        /// <summary>The product's settings; the depth, taps, weights and layout are each phase's own.</summary>
        public ImplicitGemm* Gemm;
        public ConvGeometry Geometry;

        /// <summary>The input's padding into copies, one per band and image, <see cref="Image"/> floats apart.</summary>
        public PhasePacking* Packing;
        public long Image;

        /// <summary>Phase k = a·s_w + b has the taps from PhaseStart[k] to PhaseStart[k + 1] − 1; its packed weights start at BiasLength · PhaseStart[k].</summary>
        public int* PhaseStart, Offsets;
        public float* Weights, Output;
        public long BiasLength;

        /// <summary>
        /// The row width of the padded input, the most rows any phase has and how many bands they are split into, and for
        /// <see cref="BandRows"/> the first padded row any phase's outputs read and how far past its rows a band reads.
        /// Phase a's row r reads padded rows firstY + r to firstY + r + back, and firstY is TopRow or TopRow + 1, so a
        /// band reads up to Reach = back + 1 rows past its end, counted from TopRow.
        /// </summary>
        public int QWidth, Rows, Bands, TopRow, Reach;
    }

    /// <summary>
    /// Work item <paramref name="item"/> of a transposed call: one band of phase rows of one image, in every group and
    /// phase, after packing the padded input rows the band reads into the band's copy.
    /// </summary>
    private static void RunPhases(void* state, int item)
    {
        var p = (TransposedPass*)state;
        ref ConvGeometry g = ref p->Geometry;
        int n = item / p->Bands, band = item % p->Bands;
        PhasePacking packing = *p->Packing;
        (int first, int end, int top, int bottom) = BandRows(band, p->Bands, p->Rows, packing.PlaneH, p->TopRow, p->Reach);
        float* copy = packing.Target + item * p->Image;
        packing.Source += (long)n * g.InChannels * g.InH * g.InW;
        packing.Target = copy;
        for (int c = 0; c < g.InChannels; c++) PhasePacking.PackChannel(&packing, c, top, bottom);

        int sh = g.StrideH, sw = g.StrideW;
        for (int a = 0; a < sh; a++)
        {
            if (!Phase(g.PadH, a, sh, g.OutH, out int firstY, out int rows) || first >= rows) continue;
            for (int b = 0; b < sw; b++)
            {
                if (!Phase(g.PadW, b, sw, g.OutW, out int firstX, out int columns)) continue;
                int k = a * sw + b, start = p->PhaseStart[k], depth = p->PhaseStart[k + 1] - start;
                ImplicitGemm phase = *p->Gemm;
                phase.Depth = depth;
                phase.Offsets = p->Offsets + start;
                phase.Weights = p->Weights + p->BiasLength * start;
                phase.ChooseSlice(depth / g.InPerGroup);
                phase.Layout(p->QWidth, rows, columns);
                phase.Input = copy + (long)firstY * p->QWidth + firstX;
                phase.InputImageStride = 0;
                phase.Output = p->Output + ((long)firstY * sh + a - g.PadH) * g.OutW + ((long)firstX * sw + b - g.PadW);
                phase.Rows(first, Math.Min(end, rows), out int from, out int stop, out int step);
                for (int group = 0; group < phase.Groups; group++)
                {
                    for (int at = from; at < stop; at += step) ImplicitGemm.RunBlocks(&phase, n, group, at, stop, 0, phase.RowBlocks);
                }
            }
        }
    }

    /// <summary>
    /// The outputs of phase <paramref name="phase"/> along one axis: Y = Yq·s + phase − pad for Yq from
    /// <paramref name="first"/>, <paramref name="count"/> of them; false when the phase has none.
    /// </summary>
    private static bool Phase(int pad, int phase, int stride, int outSize, out int first, out int count)
    {
        // In 64 bits: a padding near the int range, with a stride to match, gives a small output.
        long firstLong = pad <= phase ? 0 : ((long)pad - phase + stride - 1) / stride;
        long top = outSize - 1L + pad - phase;
        long countLong = top < 0 ? 0 : top / stride - firstLong + 1;
        first = (int)Math.Min(firstLong, int.MaxValue);
        count = (int)Math.Clamp(countLong, 0, int.MaxValue);
        return count > 0;
    }

    /// <summary>
    /// Whether a transposed call's s_h·s_w phases, which its loops visit one by one, are no more than its output plane
    /// (or 64): a padding that crops all but a few outputs of a huge stride leaves most phases empty, and the plain
    /// scatter, which visits only the input, is then cheaper.
    /// </summary>
    public static bool FewPhases(in ConvGeometry g) => (long)g.StrideH * g.StrideW <= Math.Max(64, (long)g.OutH * g.OutW);

    private static ImplicitGemm NewGemm(KernelKind kind, in ConvGeometry g, int depth)
    {
        int rows = MicroKernels.Rows(kind);
        return new ImplicitGemm
        {
            Kind = kind,
            TileRows = rows,
            TileColumns = MicroKernels.Columns(kind),
            Depth = depth,
            RowsPerGroup = g.OutPerGroup,
            RowBlocks = Ceiling(g.OutPerGroup, rows),
            Batch = g.Batch,
            Groups = g.Groups,
        };
    }

    /// <summary>
    /// One forward call's parallel pass: the preparation items (input channels to pack, then weight blocks to lay out),
    /// followed by the product's items, which wait for the preparation to finish.
    /// </summary>
    private struct Preparation
    {
        /// <summary>How many preparation items there are, and how many have finished (successfully or not).</summary>
        public int Items, Finished;
        public bool Failed;

        /// <summary>
        /// For work split by bands of output rows: how many bands per image, the input channels of an image, and how many
        /// plane rows past its last output row a band reads.
        /// </summary>
        public int Bands, ChannelsPerImage, Reach;

        /// <summary>With bands, the distance between the bands' copies of the packed input, one per band and image.</summary>
        public long BandImage;
        public PhasePacking* Packing;
        public int Channels;
        public ImplicitGemm* Gemm;
        public float* Weight;
        public int* Index;
        public long GroupStride;
        public int RowStride;
        public float* Target;
    }

    /// <summary>
    /// The preparation items, then the product's items, in one parallel pass: the splitter hands items out in order, so
    /// every preparation item has started before the first product item, which then waits only for those still running.
    /// One pass instead of two saves waking the helper threads a second time.
    /// </summary>
    private static void PrepareThenMultiply(void* state, int item)
    {
        var p = (Preparation*)state;
        if (item < p->Items)
        {
            try
            {
                Prepare(p, item);
            }
            catch
            {
                Volatile.Write(ref p->Failed, true);
                throw;
            }
            finally
            {
                Interlocked.Increment(ref p->Finished);
            }
            return;
        }
        WorkSplitter.SpinUntilAtLeast(ref p->Finished, p->Items);
        if (!Volatile.Read(ref p->Failed)) ImplicitGemm.RunItem(p->Gemm, item - p->Items);
    }

    /// <summary>
    /// The weight blocks, then one item per band of output rows and image: the band packs the plane rows it reads (all
    /// channels) into its own copy, waits for the weights, and computes its outputs, group by group, panel by panel.
    /// </summary>
    private static void PrepareThenBands(void* state, int item)
    {
        var p = (Preparation*)state;
        if (item < p->Items)
        {
            PrepareThenMultiply(state, item);
            return;
        }
        item -= p->Items;
        int n = item / p->Bands, band = item % p->Bands;
        PhasePacking packing = *p->Packing;
        (long firstUnit, long endUnit, int first, int planeEnd) = ForwardBand(*p->Gemm, band, p->Bands, packing.PlaneH, p->Reach);
        if (firstUnit >= endUnit) return;
        float* copy = packing.Target + item * p->BandImage;
        packing.Source += (long)n * p->ChannelsPerImage * packing.Height * packing.Width;
        packing.Target = copy;
        packing.FirstRow = first;
        for (int c = 0; c < p->ChannelsPerImage; c++) PhasePacking.PackChannel(&packing, c, first, planeEnd);

        // The band's product reads its own copy, where plane row y is stored at row y − first.
        ImplicitGemm bandGemm = *p->Gemm;
        bandGemm.Input = copy - (long)first * packing.PlaneW;
        bandGemm.InputImageStride = 0;
        ImplicitGemm* gemm = &bandGemm;

        WorkSplitter.SpinUntilAtLeast(ref p->Finished, p->Items);
        if (Volatile.Read(ref p->Failed)) return;
        int blocks = gemm->RowBlocks;
        int firstPanel = (int)(firstUnit / blocks), lastPanel = (int)((endUnit - 1) / blocks);
        for (int group = 0; group < gemm->Groups; group++)
        {
            for (int panel = firstPanel; panel <= lastPanel; panel++)
            {
                int from = panel == firstPanel ? (int)(firstUnit % blocks) : 0;
                int to = panel == lastPanel ? (int)((endUnit - 1) % blocks) + 1 : blocks;
                ImplicitGemm.RunBlocks(gemm, n, group, panel * gemm->PanelStep, gemm->Limit, from, to);
            }
        }
    }

    /// <summary>
    /// Band <paramref name="band"/> of <paramref name="bands"/> of a forward product: an equal share of its tiles, counted
    /// panel by panel and within a panel block of rows by block (tile u is block u mod RowBlocks of panel u / RowBlocks),
    /// from FirstUnit below EndUnit (none when FirstUnit ≥ EndUnit), and the plane rows those panels read, from PlaneFirst,
    /// the row of the first panel's first position, to PlaneEnd, <paramref name="reach"/> rows past the row of the last
    /// panel's last position (the last band to the plane's end). Split by whole rows, each band ended on a partly empty
    /// panel: the stride-2 layer's 28 rows of 29 positions took 9 panels of 48 positions per band on two threads, where
    /// one thread takes 17. Split by tiles, a panel at the bands' edge has some blocks of output channels computed by one
    /// band and the rest by the next, each from its own copy of the rows.
    /// </summary>
    private static (long FirstUnit, long EndUnit, int PlaneFirst, int PlaneEnd) ForwardBand(in ImplicitGemm gemm, int band, int bands, int planeH, int reach)
    {
        long units = (long)gemm.Panels * gemm.RowBlocks;
        long firstUnit = band * units / bands, endUnit = (band + 1) * units / bands;
        int start = (int)(firstUnit / gemm.RowBlocks) * gemm.PanelStep;
        int stop = Math.Min((int)((Math.Max(endUnit, firstUnit + 1) - 1) / gemm.RowBlocks + 1) * gemm.PanelStep, gemm.Limit);
        int perRow = gemm.VectorsPerRow > 0 ? gemm.VectorsPerRow : gemm.QWidth;
        int first = start / perRow, last = Math.Max(first, (stop - 1) / perRow);
        return (firstUnit, endUnit, Math.Min(first, planeH), band == bands - 1 ? planeH : Math.Min(planeH, last + 1 + reach));
    }

    /// <summary>
    /// Band <paramref name="band"/> of <paramref name="bands"/> over <paramref name="rows"/> output rows: its first row,
    /// one past its last, and the plane rows it reads, from <paramref name="top"/> + its first row to <paramref name="top"/>
    /// + its end + <paramref name="reach"/> (the last band to the plane's end), within the plane's <paramref name="planeH"/> rows.
    /// </summary>
    private static (int First, int End, int PlaneFirst, int PlaneEnd) BandRows(int band, int bands, int rows, int planeH, int top, int reach)
    {
        int first = (int)((long)band * rows / bands), end = (int)((long)(band + 1) * rows / bands);
        return (first, end, Math.Min(top + first, planeH), band == bands - 1 ? planeH : Math.Min(planeH, top + end + reach));
    }

    /// <summary>
    /// The float workspace of a call, for its packed input (<paramref name="readEnd"/> floats) and packed bias, and where
    /// its packed weights go: with <paramref name="weightTensor"/>, this thread's kept weight buffer (ready when it
    /// already holds that tensor in <paramref name="layout"/>); without, behind the bias in the same workspace.
    /// </summary>
    private static (float[] Floats, float[] Weights, long WeightsAt, bool Ready) TakeWorkspace(long readEnd, long biasLength,
        long weightLength, Tensor? weightTensor, WeightLayout layout)
    {
        if (weightTensor is null)
        {
            float[] floats = Workspace.Floats(readEnd + biasLength + weightLength);
            return (floats, floats, readEnd + biasLength, false);
        }
        float[] weights = Workspace.PackedWeights(weightTensor, layout, weightLength, out bool ready);
        return (Workspace.Floats(readEnd + biasLength), weights, 0, ready);
    }

    private static void Prepare(void* state, int item)
    {
        var p = (Preparation*)state;
        if (item < p->Channels)
        {
            PhasePacking.PackChannel(p->Packing, item);
            return;
        }
        item -= p->Channels;
        PackWeightBlock(*p->Gemm, p->Weight, p->Index, p->GroupStride, p->RowStride, p->Target, item / p->Gemm->RowBlocks, item % p->Gemm->RowBlocks);
    }

    /// <summary>Packs the weights of every group and row block; see <see cref="PackWeightBlock"/>.</summary>
    private static void PackWeights(in ImplicitGemm gemm, float* weight, int* index, long groupStride, int rowStride, float* target)
    {
        for (int group = 0; group < gemm.Groups; group++)
        {
            for (int block = 0; block < gemm.RowBlocks; block++) PackWeightBlock(gemm, weight, index, groupStride, rowStride, target, group, block);
        }
    }

    /// <summary>
    /// Lays one block of weights out as the micro-kernel reads them: k by k, the tile rows side by side, zero past the
    /// last row. Weight (group, row o, k) is at group·<paramref name="groupStride"/> + index[k] + o·<paramref name="rowStride"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackWeightBlock(in ImplicitGemm gemm, float* weight, int* index, long groupStride, int rowStride, float* target, int group, int block)
    {
        int tileRows = gemm.TileRows, depth = gemm.Depth;
        float* blockTarget = target + (long)(group * gemm.RowBlocks + block) * depth * tileRows;
        for (int r = 0; r < tileRows; r++)
        {
            int o = block * tileRows + r;
            if (o >= gemm.RowsPerGroup)
            {
                for (int k = 0; k < depth; k++) blockTarget[k * tileRows + r] = 0f;
                continue;
            }
            float* source = weight + group * groupStride + (long)o * rowStride;
            for (int k = 0; k < depth; k++) blockTarget[k * tileRows + r] = source[index[k]];
        }
    }

    private static void PackBias(in ImplicitGemm gemm, float* bias, float* target)
    {
        for (int group = 0; group < gemm.Groups; group++)
        {
            for (int block = 0; block < gemm.RowBlocks; block++)
            {
                for (int r = 0; r < gemm.TileRows; r++)
                {
                    int o = block * gemm.TileRows + r;
                    target[(group * gemm.RowBlocks + block) * gemm.TileRows + r] =
                        bias != null && o < gemm.RowsPerGroup ? bias[group * gemm.RowsPerGroup + o] : 0f;
                }
            }
        }
    }

    /// <summary>
    /// The distance between packed input channels of <paramref name="length"/> floats: an odd number of whole cache lines,
    /// so that the same position of consecutive channels falls in different cache sets. Channels a power of two apart
    /// (a 4096-long 1-D layer's, 16 KB) all fell in the same few sets, and two threads ran that layer slower than one.
    /// </summary>
    private static long ChannelStride(long length)
    {
        long lines = (length + 15) / 16;
        return (lines | 1) * 16;
    }

    private static int Ceiling(int value, int divisor) => (value + divisor - 1) / divisor;

    /// <summary>
    /// How many stride phases, from phase 0, the taps of a kernel of <paramref name="kernel"/> taps read: tap i reads phase
    /// i·d mod s, so an undilated kernel smaller than its stride reads only its first k phases; with dilation, all.
    /// </summary>
    private static int UsedPhases(int kernel, int dilation, int stride) => dilation == 1 ? Math.Min(kernel, stride) : stride;
}
