using System.Numerics;
using CsCheck;

namespace Conv.Notebook.Tests;

/// <summary>
/// The vectorised pooling against the plain window loop, bit for bit: random widths up to several vectors (so rows of
/// no vector, one, and several with an overlapping last one), kernels, column strides 1 and 2 (and 3, which the plain
/// loop takes), padding up to half the kernel, 1-D and 2-D, max and average, and inputs holding NaN, −0 and +0, whose
/// ties and propagation only the same steps in the same order reproduce (an average's NaN payload excepted).
/// </summary>
public sealed class FastPoolingTests
{
    public sealed record Axis(int Size, int Kernel, int Stride, int Padding);

    public sealed record Case(bool OneD, bool Max, bool Batched, int Batch, int Channels, Axis H, Axis W, int Seed);

    private static Gen<Axis> AxisGen(int maxSize, int maxStride) =>
        from kernel in Gen.Int[1, 5]
        from padding in Gen.Int[0, kernel / 2]
        from size in Gen.Int[Math.Max(1, kernel - 2 * padding), maxSize]
        from stride in Gen.Int[1, maxStride]
        select new Axis(size, kernel, stride, padding);

    private static readonly Gen<Case> Cases =
        from oneD in Gen.Bool
        from max in Gen.Bool
        from batched in Gen.Bool
        from batch in Gen.Int[1, 2]
        from channels in Gen.Int[1, 3]
        from h in oneD ? Gen.Const(new Axis(1, 1, 1, 0)) : AxisGen(9, 3)
        from w in AxisGen(6 * Vector<float>.Count, 3)
        from seed in Gen.Int
        select new Case(oneD, max, batched, batched ? batch : 1, channels, h, w, seed);

    [Fact]
    public void Vectorised_pooling_gives_the_plain_loops_bits() => Cases.Sample(Check, iter: 2000);

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(3, 1, 1)]
    public void A_layer_sized_map_pools_to_the_plain_loops_bits(int kernel, int stride, int padding)
    {
        foreach (bool max in new[] { true, false })
        {
            Check(new Case(OneD: false, max, Batched: true, 1, 64, new Axis(56, kernel, stride, padding), new Axis(56, kernel, stride, padding), Seed: kernel * 10 + stride));
        }
    }

    private static void Check(Case c)
    {
        int[] shape = c.OneD
            ? c.Batched ? [c.Batch, c.Channels, c.W.Size] : [c.Channels, c.W.Size]
            : c.Batched ? [c.Batch, c.Channels, c.H.Size, c.W.Size] : [c.Channels, c.H.Size, c.W.Size];
        Tensor x = Input(shape, c.Seed);
        string op = (c.Max ? "Max" : "Avg") + (c.OneD ? "Pool1d" : "Pool2d");
        Tensor Pool(bool vectorized) => Pooling.Pool(op, c.OneD, c.Max, x, (c.H.Kernel, c.W.Kernel), (c.H.Stride, c.W.Stride),
            (c.H.Padding, c.W.Padding), vectorized);

        Tensor plain = Pool(vectorized: false), fast = Pool(vectorized: true);

        Assert.Equal(plain.Shape, fast.Shape);
        float[] expected = plain.ToArray(), actual = fast.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            // An average over two different NaN is one of them, whichever the compiled addition takes as its first operand:
            // the optimiser may swap the operands of a sum, so the payload is left open there.
            if (!c.Max && float.IsNaN(expected[i]) && float.IsNaN(actual[i])) continue;
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{c}: output {i} is {actual[i]} (bits {BitConverter.SingleToInt32Bits(actual[i]):X8}), " +
                    $"the plain loop gives {expected[i]} (bits {BitConverter.SingleToInt32Bits(expected[i]):X8})");
            }
        }
    }

    /// <summary>
    /// Random values with a few NaN of two payloads, −0 and +0 in ties, and values that repeat, so that which of
    /// equal values a window keeps, and which NaN, shows in the bits.
    /// </summary>
    private static Tensor Input(int[] shape, int seed)
    {
        var random = new Random(seed);
        float otherNaN = BitConverter.Int32BitsToSingle(unchecked((int)0xFFC12345));
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[count];
        for (int i = 0; i < count; i++)
        {
            data[i] = random.Next(80) switch
            {
                0 => float.NaN,
                1 => otherNaN,
                >= 2 and < 10 => -0f,
                >= 10 and < 18 => 0f,
                18 or 19 => float.NegativeInfinity,
                >= 20 and < 26 => 1.5f,
                _ => (float)(random.NextDouble() * 4 - 2),
            };
        }
        return new Tensor(shape, data);
    }
}
