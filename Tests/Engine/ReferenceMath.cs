namespace OrleansSlm.Tests.Engine;

/// <summary>The arithmetic the reference forward passes share, in double precision.</summary>
public static class ReferenceMath
{
    /// <summary>A row-major <paramref name="rows"/> × <c>vector.Length</c> matrix times a vector.</summary>
    public static double[] MatVec(float[] matrix, double[] vector, int rows)
    {
        var result = new double[rows];
        var columns = vector.Length;
        for (var row = 0; row < rows; row++)
        {
            var sum = 0.0;
            for (var column = 0; column < columns; column++)
            {
                sum += matrix[row * columns + column] * vector[column];
            }

            result[row] = sum;
        }

        return result;
    }
}
