using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Conv.Notebook;

/// <summary>Which micro-kernel computes the tiles: the widest one the processor runs natively, unless a test asks for another.</summary>
internal enum KernelKind
{
    /// <summary>8 output channels × 48 positions, 24 Vector512 accumulators (AVX-512: 32 vector registers).</summary>
    Vector512,

    /// <summary>4 output channels × 3 vectors of <see cref="Vector{T}"/>, 12 accumulators: fits the 16 registers of AVX2 and runs on NEON.</summary>
    Portable,
}

/// <summary>
/// The innermost loop of the implicit GEMM: a tile of MR output channels × NR output positions, kept in
/// registers for the whole depth K. For each k it loads NR inputs (the k-th offset of a tap, contiguous
/// because the input was split into stride phases) and MR weights, and does MR × NR / width fused multiply-adds.
/// </summary>
/// <remarks>
/// The tiles are written out accumulator by accumulator rather than with arrays, so that the JIT keeps all of them in
/// registers: with 24 Vector512 accumulators, three inputs and a broadcast weight, the 8 × 48 kernel uses 28 of the 32.
/// </remarks>
internal static unsafe class MicroKernels
{
    /// <summary>Output channels per tile of <paramref name="kind"/>.</summary>
    public static int Rows(KernelKind kind) => kind == KernelKind.Vector512 ? 8 : 4;

    /// <summary>Output positions per tile of <paramref name="kind"/>.</summary>
    public static int Columns(KernelKind kind) => kind == KernelKind.Vector512 ? 48 : 3 * Vector<float>.Count;

    /// <summary>The kernel this processor runs fastest, or null when it has no hardware vectors at all.</summary>
    public static KernelKind? Best =>
        Vector512.IsHardwareAccelerated ? KernelKind.Vector512 :
        Vector.IsHardwareAccelerated ? KernelKind.Portable : null;

    /// <summary>
    /// tile[r, t] = start[r, t] + Σ_k a[k, r] · b[offsets[k] + t], where b is the input of the tile's third that holds t,
    /// the start is bias[r] when <paramref name="bias"/> is given and the tile's own values otherwise (a later slice of
    /// the depth adds to an earlier one), and <paramref name="a"/> holds the weights as (K, MR).
    /// </summary>
    /// <remarks>
    /// Each third of the tile (one vector wide) reads its own input and lives where <paramref name="tile"/> says, row r
    /// at its base + r · its step: in a scratch tile, or straight in the output. A tile whose last thirds hold no output
    /// (the last panel of a small output: a 14 × 14 map at row width 15 ends on 18 positions) computes only its first
    /// <paramref name="thirds"/>, with the AVX-512 kernel; the portable one computes all three.
    /// </remarks>
    public static void Tile(KernelKind kind, float* a, int depth, int* offsets, float* bias, ImplicitGemm.TileTargets* tile, int thirds = 3)
    {
        if (kind != KernelKind.Vector512) TilePortable(a, depth, offsets, bias, tile);
        else if (thirds == 3) Tile8x48(a, depth, offsets, bias, tile);
        else if (thirds == 2) Tile8x32(a, depth, offsets, bias, tile);
        else Tile8x16(a, depth, offsets, bias, tile);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x48(float* a, int depth, int* offsets, float* bias, ImplicitGemm.TileTargets* tile)
    {
        float* inLeft = tile->LeftInput, inMiddle = tile->MiddleInput, inRight = tile->RightInput;
        float* left = tile->Left, middle = tile->Middle, right = tile->Right;
        long leftStep = tile->LeftStep, middleStep = tile->MiddleStep, rightStep = tile->RightStep;
        Vector512<float> c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        Vector512<float> c40, c41, c42, c50, c51, c52, c60, c61, c62, c70, c71, c72;
        if (bias != null)
        {
            c00 = c01 = c02 = Vector512.Create(bias[0]);
            c10 = c11 = c12 = Vector512.Create(bias[1]);
            c20 = c21 = c22 = Vector512.Create(bias[2]);
            c30 = c31 = c32 = Vector512.Create(bias[3]);
            c40 = c41 = c42 = Vector512.Create(bias[4]);
            c50 = c51 = c52 = Vector512.Create(bias[5]);
            c60 = c61 = c62 = Vector512.Create(bias[6]);
            c70 = c71 = c72 = Vector512.Create(bias[7]);
        }
        else
        {
            c00 = Vector512.Load(left); c01 = Vector512.Load(middle); c02 = Vector512.Load(right);
            c10 = Vector512.Load(left + leftStep); c11 = Vector512.Load(middle + middleStep); c12 = Vector512.Load(right + rightStep);
            c20 = Vector512.Load(left + 2 * leftStep); c21 = Vector512.Load(middle + 2 * middleStep); c22 = Vector512.Load(right + 2 * rightStep);
            c30 = Vector512.Load(left + 3 * leftStep); c31 = Vector512.Load(middle + 3 * middleStep); c32 = Vector512.Load(right + 3 * rightStep);
            c40 = Vector512.Load(left + 4 * leftStep); c41 = Vector512.Load(middle + 4 * middleStep); c42 = Vector512.Load(right + 4 * rightStep);
            c50 = Vector512.Load(left + 5 * leftStep); c51 = Vector512.Load(middle + 5 * middleStep); c52 = Vector512.Load(right + 5 * rightStep);
            c60 = Vector512.Load(left + 6 * leftStep); c61 = Vector512.Load(middle + 6 * middleStep); c62 = Vector512.Load(right + 6 * rightStep);
            c70 = Vector512.Load(left + 7 * leftStep); c71 = Vector512.Load(middle + 7 * middleStep); c72 = Vector512.Load(right + 7 * rightStep);
        }
        for (int k = 0; k < depth; k++, a += 8)
        {
            int o = offsets[k];
            Vector512<float> b0 = Vector512.Load(inLeft + o), b1 = Vector512.Load(inMiddle + o), b2 = Vector512.Load(inRight + o);
            Vector512<float> w = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(w, b0, c00); c01 = Vector512.FusedMultiplyAdd(w, b1, c01); c02 = Vector512.FusedMultiplyAdd(w, b2, c02);
            w = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(w, b0, c10); c11 = Vector512.FusedMultiplyAdd(w, b1, c11); c12 = Vector512.FusedMultiplyAdd(w, b2, c12);
            w = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(w, b0, c20); c21 = Vector512.FusedMultiplyAdd(w, b1, c21); c22 = Vector512.FusedMultiplyAdd(w, b2, c22);
            w = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(w, b0, c30); c31 = Vector512.FusedMultiplyAdd(w, b1, c31); c32 = Vector512.FusedMultiplyAdd(w, b2, c32);
            w = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(w, b0, c40); c41 = Vector512.FusedMultiplyAdd(w, b1, c41); c42 = Vector512.FusedMultiplyAdd(w, b2, c42);
            w = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(w, b0, c50); c51 = Vector512.FusedMultiplyAdd(w, b1, c51); c52 = Vector512.FusedMultiplyAdd(w, b2, c52);
            w = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(w, b0, c60); c61 = Vector512.FusedMultiplyAdd(w, b1, c61); c62 = Vector512.FusedMultiplyAdd(w, b2, c62);
            w = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(w, b0, c70); c71 = Vector512.FusedMultiplyAdd(w, b1, c71); c72 = Vector512.FusedMultiplyAdd(w, b2, c72);
        }
        c00.Store(left); c01.Store(middle); c02.Store(right);
        c10.Store(left + leftStep); c11.Store(middle + middleStep); c12.Store(right + rightStep);
        c20.Store(left + 2 * leftStep); c21.Store(middle + 2 * middleStep); c22.Store(right + 2 * rightStep);
        c30.Store(left + 3 * leftStep); c31.Store(middle + 3 * middleStep); c32.Store(right + 3 * rightStep);
        c40.Store(left + 4 * leftStep); c41.Store(middle + 4 * middleStep); c42.Store(right + 4 * rightStep);
        c50.Store(left + 5 * leftStep); c51.Store(middle + 5 * middleStep); c52.Store(right + 5 * rightStep);
        c60.Store(left + 6 * leftStep); c61.Store(middle + 6 * middleStep); c62.Store(right + 6 * rightStep);
        c70.Store(left + 7 * leftStep); c71.Store(middle + 7 * middleStep); c72.Store(right + 7 * rightStep);
    }

    /// <summary><see cref="Tile8x48"/> for the first two thirds only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x32(float* a, int depth, int* offsets, float* bias, ImplicitGemm.TileTargets* tile)
    {
        float* inLeft = tile->LeftInput, inMiddle = tile->MiddleInput;
        float* left = tile->Left, middle = tile->Middle;
        long leftStep = tile->LeftStep, middleStep = tile->MiddleStep;
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (bias != null)
        {
            c00 = c01 = Vector512.Create(bias[0]);
            c10 = c11 = Vector512.Create(bias[1]);
            c20 = c21 = Vector512.Create(bias[2]);
            c30 = c31 = Vector512.Create(bias[3]);
            c40 = c41 = Vector512.Create(bias[4]);
            c50 = c51 = Vector512.Create(bias[5]);
            c60 = c61 = Vector512.Create(bias[6]);
            c70 = c71 = Vector512.Create(bias[7]);
        }
        else
        {
            c00 = Vector512.Load(left); c01 = Vector512.Load(middle);
            c10 = Vector512.Load(left + leftStep); c11 = Vector512.Load(middle + middleStep);
            c20 = Vector512.Load(left + 2 * leftStep); c21 = Vector512.Load(middle + 2 * middleStep);
            c30 = Vector512.Load(left + 3 * leftStep); c31 = Vector512.Load(middle + 3 * middleStep);
            c40 = Vector512.Load(left + 4 * leftStep); c41 = Vector512.Load(middle + 4 * middleStep);
            c50 = Vector512.Load(left + 5 * leftStep); c51 = Vector512.Load(middle + 5 * middleStep);
            c60 = Vector512.Load(left + 6 * leftStep); c61 = Vector512.Load(middle + 6 * middleStep);
            c70 = Vector512.Load(left + 7 * leftStep); c71 = Vector512.Load(middle + 7 * middleStep);
        }
        for (int k = 0; k < depth; k++, a += 8)
        {
            int o = offsets[k];
            Vector512<float> b0 = Vector512.Load(inLeft + o), b1 = Vector512.Load(inMiddle + o);
            Vector512<float> w = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(w, b0, c00); c01 = Vector512.FusedMultiplyAdd(w, b1, c01);
            w = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(w, b0, c10); c11 = Vector512.FusedMultiplyAdd(w, b1, c11);
            w = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(w, b0, c20); c21 = Vector512.FusedMultiplyAdd(w, b1, c21);
            w = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(w, b0, c30); c31 = Vector512.FusedMultiplyAdd(w, b1, c31);
            w = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(w, b0, c40); c41 = Vector512.FusedMultiplyAdd(w, b1, c41);
            w = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(w, b0, c50); c51 = Vector512.FusedMultiplyAdd(w, b1, c51);
            w = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(w, b0, c60); c61 = Vector512.FusedMultiplyAdd(w, b1, c61);
            w = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(w, b0, c70); c71 = Vector512.FusedMultiplyAdd(w, b1, c71);
        }
        c00.Store(left); c01.Store(middle);
        c10.Store(left + leftStep); c11.Store(middle + middleStep);
        c20.Store(left + 2 * leftStep); c21.Store(middle + 2 * middleStep);
        c30.Store(left + 3 * leftStep); c31.Store(middle + 3 * middleStep);
        c40.Store(left + 4 * leftStep); c41.Store(middle + 4 * middleStep);
        c50.Store(left + 5 * leftStep); c51.Store(middle + 5 * middleStep);
        c60.Store(left + 6 * leftStep); c61.Store(middle + 6 * middleStep);
        c70.Store(left + 7 * leftStep); c71.Store(middle + 7 * middleStep);
    }

    /// <summary><see cref="Tile8x48"/> for the first third only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile8x16(float* a, int depth, int* offsets, float* bias, ImplicitGemm.TileTargets* tile)
    {
        float* inLeft = tile->LeftInput, left = tile->Left;
        long leftStep = tile->LeftStep;
        Vector512<float> c0, c1, c2, c3, c4, c5, c6, c7;
        if (bias != null)
        {
            c0 = Vector512.Create(bias[0]); c1 = Vector512.Create(bias[1]); c2 = Vector512.Create(bias[2]); c3 = Vector512.Create(bias[3]);
            c4 = Vector512.Create(bias[4]); c5 = Vector512.Create(bias[5]); c6 = Vector512.Create(bias[6]); c7 = Vector512.Create(bias[7]);
        }
        else
        {
            c0 = Vector512.Load(left); c1 = Vector512.Load(left + leftStep); c2 = Vector512.Load(left + 2 * leftStep);
            c3 = Vector512.Load(left + 3 * leftStep); c4 = Vector512.Load(left + 4 * leftStep); c5 = Vector512.Load(left + 5 * leftStep);
            c6 = Vector512.Load(left + 6 * leftStep); c7 = Vector512.Load(left + 7 * leftStep);
        }
        for (int k = 0; k < depth; k++, a += 8)
        {
            Vector512<float> b0 = Vector512.Load(inLeft + offsets[k]);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
        }
        c0.Store(left); c1.Store(left + leftStep); c2.Store(left + 2 * leftStep); c3.Store(left + 3 * leftStep);
        c4.Store(left + 4 * leftStep); c5.Store(left + 5 * leftStep); c6.Store(left + 6 * leftStep); c7.Store(left + 7 * leftStep);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TilePortable(float* a, int depth, int* offsets, float* bias, ImplicitGemm.TileTargets* tile)
    {
        float* inLeft = tile->LeftInput, inMiddle = tile->MiddleInput, inRight = tile->RightInput;
        float* left = tile->Left, middle = tile->Middle, right = tile->Right;
        long leftStep = tile->LeftStep, middleStep = tile->MiddleStep, rightStep = tile->RightStep;
        Vector<float> c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
        if (bias != null)
        {
            c00 = c01 = c02 = new(bias[0]);
            c10 = c11 = c12 = new(bias[1]);
            c20 = c21 = c22 = new(bias[2]);
            c30 = c31 = c32 = new(bias[3]);
        }
        else
        {
            c00 = Vector.Load(left); c01 = Vector.Load(middle); c02 = Vector.Load(right);
            c10 = Vector.Load(left + leftStep); c11 = Vector.Load(middle + middleStep); c12 = Vector.Load(right + rightStep);
            c20 = Vector.Load(left + 2 * leftStep); c21 = Vector.Load(middle + 2 * middleStep); c22 = Vector.Load(right + 2 * rightStep);
            c30 = Vector.Load(left + 3 * leftStep); c31 = Vector.Load(middle + 3 * middleStep); c32 = Vector.Load(right + 3 * rightStep);
        }
        for (int k = 0; k < depth; k++, a += 4)
        {
            int o = offsets[k];
            Vector<float> b0 = Vector.Load(inLeft + o), b1 = Vector.Load(inMiddle + o), b2 = Vector.Load(inRight + o);
            Vector<float> w = new(a[0]);
            c00 = Vector.MultiplyAddEstimate(w, b0, c00); c01 = Vector.MultiplyAddEstimate(w, b1, c01); c02 = Vector.MultiplyAddEstimate(w, b2, c02);
            w = new(a[1]);
            c10 = Vector.MultiplyAddEstimate(w, b0, c10); c11 = Vector.MultiplyAddEstimate(w, b1, c11); c12 = Vector.MultiplyAddEstimate(w, b2, c12);
            w = new(a[2]);
            c20 = Vector.MultiplyAddEstimate(w, b0, c20); c21 = Vector.MultiplyAddEstimate(w, b1, c21); c22 = Vector.MultiplyAddEstimate(w, b2, c22);
            w = new(a[3]);
            c30 = Vector.MultiplyAddEstimate(w, b0, c30); c31 = Vector.MultiplyAddEstimate(w, b1, c31); c32 = Vector.MultiplyAddEstimate(w, b2, c32);
        }
        c00.Store(left); c01.Store(middle); c02.Store(right);
        c10.Store(left + leftStep); c11.Store(middle + middleStep); c12.Store(right + rightStep);
        c20.Store(left + 2 * leftStep); c21.Store(middle + 2 * middleStep); c22.Store(right + 2 * rightStep);
        c30.Store(left + 3 * leftStep); c31.Store(middle + 3 * middleStep); c32.Store(right + 3 * rightStep);
    }
}
