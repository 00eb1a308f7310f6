using System.Net;
using Orleans.Runtime;
using OrleansSlm.Grains.Placement;
using OrleansSlm.GrainsInterfaces.Inference;

namespace OrleansSlm.Tests.Placement;

public sealed class InferenceSiloChooserTests
{
    private static readonly SiloAddress Gpu = Silo(1);
    private static readonly SiloAddress Cpu = Silo(2);
    private static readonly SiloAddress OtherCpu = Silo(3);

    [Fact]
    public void A_gpu_silo_with_a_free_slot_wins_over_an_idle_cpu_silo()
    {
        var chosen = Choose((Gpu, "gpu", Load(slots: 4, running: 3)), (Cpu, "cpu", Load(slots: 4, running: 0)));

        Assert.Equal(Gpu, chosen);
    }

    [Fact]
    public void A_full_gpu_silo_gives_way_to_a_cpu_silo_with_free_slots()
    {
        var chosen = Choose((Gpu, "gpu", Load(slots: 4, running: 4, waiting: 1)), (Cpu, "cpu", Load(slots: 4, running: 1)));

        Assert.Equal(Cpu, chosen);
    }

    [Fact]
    public void Among_cpu_silos_the_one_with_more_free_slots_wins()
    {
        var chosen = Choose((Cpu, "cpu", Load(slots: 4, running: 3)), (OtherCpu, "cpu", Load(slots: 4, running: 1)));

        Assert.Equal(OtherCpu, chosen);
    }

    [Fact]
    public void With_every_slot_taken_the_shorter_queue_wins()
    {
        var chosen = Choose((Cpu, "cpu", Load(slots: 2, running: 2, waiting: 5)), (OtherCpu, "cpu", Load(slots: 2, running: 2, waiting: 1)));

        Assert.Equal(OtherCpu, chosen);
    }

    [Fact]
    public void Equal_silos_share_the_work()
    {
        var picks = Enumerable.Range(0, 200)
            .Select(seed => InferenceSiloChooser.Choose([new(Cpu, "cpu", Load(4, 0)), new(OtherCpu, "cpu", Load(4, 0))], new Random(seed)))
            .ToList();

        Assert.InRange(picks.Count(pick => pick.Equals(Cpu)), 60, 140);
    }

    [Fact]
    public void A_silo_whose_load_is_unknown_is_used_only_when_no_load_is_known()
    {
        Assert.Equal(Cpu, Choose((Gpu, "gpu", null), (Cpu, "cpu", Load(4, 3))));
        Assert.Equal(Gpu, Choose((Gpu, "gpu", null)));
    }

    private static SiloAddress Choose(params (SiloAddress Silo, string Role, InferenceLoad? Load)[] candidates) =>
        InferenceSiloChooser.Choose([.. candidates.Select(c => new InferenceCandidate(c.Silo, c.Role, c.Load))], new Random(1));

    private static InferenceLoad Load(int slots, int running, int waiting = 0) => new(slots, running, waiting, MaxWaiting: 8);

    private static SiloAddress Silo(int port) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + port), 1);
}
