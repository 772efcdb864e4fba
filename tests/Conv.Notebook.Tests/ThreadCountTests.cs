namespace Conv.Notebook.Tests;

/// <summary>
/// Every fast path gives the same bits whatever the number of threads: work is split into bands of rows, tiles and
/// channels, never a sum into parts, so each output is summed in the same order on one thread as on eight. (CI runs these
/// tests once more as a machine of one processor, where the helper has no worker threads at all.)
/// </summary>
public sealed class ThreadCountTests
{
    private static readonly int[] ThreadCounts = [2, 3, 4, 8];

    [Theory]
    [InlineData(1, PaddingMode.Zeros)]
    [InlineData(2, PaddingMode.Zeros)]
    [InlineData(3, PaddingMode.Reflect)]
    [InlineData(4, PaddingMode.Zeros)]
    [InlineData(4, PaddingMode.Circular)]
    public void Conv2d_gives_the_same_bits_at_any_thread_count(int stride, PaddingMode mode)
    {
        var rng = new Random(stride);
        Tensor x = FastConvolutionTests.Random(rng, [2, 16, 45, 43]);
        Tensor w = FastConvolutionTests.Random(rng, [24, 16, 3, 3]);
        Tensor b = FastConvolutionTests.Random(rng, [24]);
        Tensor Run(int threads) => Convolution.Forward("Conv2d", false, x, w, b, (stride, stride), (1, 1), (1, 1), 1, mode,
            new Convolution.Route(Convolution.Path.Fast, null, threads));
        AssertSameBitsAtEveryCount(Run);
    }

    [Fact]
    public void Conv1d_and_ConvTranspose2d_give_the_same_bits_at_any_thread_count()
    {
        var rng = new Random(11);
        Tensor signal = FastConvolutionTests.Random(rng, [1, 32, 700]), kernel = FastConvolutionTests.Random(rng, [48, 32, 5]);
        AssertSameBitsAtEveryCount(threads => Convolution.Forward("Conv1d", true, signal, kernel, null, (1, 2), (0, 2), (1, 1), 1,
            PaddingMode.Zeros, new Convolution.Route(Convolution.Path.Fast, null, threads)));

        Tensor image = FastConvolutionTests.Random(rng, [1, 16, 30, 29]), up = FastConvolutionTests.Random(rng, [16, 24, 3, 3]);
        AssertSameBitsAtEveryCount(threads => Convolution.Transposed("ConvTranspose2d", false, image, up, null, (2, 2), (1, 1), (1, 1),
            (1, 1), 1, new Convolution.Route(Convolution.Path.Fast, null, threads)));
    }

    private static void AssertSameBitsAtEveryCount(Func<int, Tensor> run)
    {
        float[] one = run(1).ToArray();
        foreach (int threads in ThreadCounts)
        {
            float[] many = run(threads).ToArray();
            Assert.Equal(one.Length, many.Length);
            for (int i = 0; i < one.Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(many[i]))
                {
                    Assert.Fail($"{threads} threads: element {i} is {many[i]}, one thread gives {one[i]}");
                }
            }
        }
    }
}
