using OrleansSlm.Tests.Support;

namespace OrleansSlm.Tests.Cluster;

/// <summary>The Silo program refuses bad settings with exit code 1 and a line naming the key, before it touches a database.</summary>
public sealed class SiloStartupTests
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Username=postgres;Database=postgres";

    [Fact]
    public async Task A_bad_model_value_ends_the_silo_with_exit_code_1_and_a_line_naming_the_key()
    {
        var (exitCode, output) = await SiloProcess.RunAsync([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Unreachable,
            ["Model__PrefillChunk"] = "0",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("OrleansSlm could not start: Model:PrefillChunk must be at least 1; got 0.", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ports_that_shape_the_host_are_checked_before_it_is_built()
    {
        var (exitCode, output) = await SiloProcess.RunAsync([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = Unreachable,
            ["Orleans__SiloPort"] = "40123",
            ["Orleans__GatewayPort"] = "40123",
        });

        Assert.Equal(1, exitCode);
        Assert.Contains("OrleansSlm could not start: Orleans:SiloPort and Orleans:GatewayPort must differ; both are 40123.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
