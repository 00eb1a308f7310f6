using OrleansSlm.Bench;

return args switch
{
    ["engine", .. var rest] => await EngineBenchmark.RunAsync(rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/OrleansSlm.Bench -- <mode> [options]

        modes:
          engine   prefill time for a 64-token prompt and batch-1 decode tokens/s, per precision
                   --model <id>          default synthetic-smollm2-135m
                   --precisions <list>   default fp32,int8,int4
                   --threads <n>         default 2
                   --decode-tokens <n>   default 128
                   --repeats <n>         default 3 (the median is reported)
        """);
    return 2;
}
