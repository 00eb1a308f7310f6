using OrleansSlm.Engine.Text;

namespace OrleansSlm.Tests.Text;

public sealed class ChatTemplateTests
{
    [Fact]
    public void ChatML_adds_SmolLM2s_default_system_prompt_when_the_caller_sends_none()
    {
        var prompt = ChatTemplates.ForModelType("llama").Render([new ChatMessage("user", "What color is an apple?")]);

        Assert.Equal(
            "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n" +
            "<|im_start|>user\nWhat color is an apple?<|im_end|>\n" +
            "<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void ChatML_keeps_the_callers_system_prompt_and_every_turn()
    {
        var prompt = ChatTemplates.ForModelType("llama").Render(
        [
            new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello."),
            new ChatMessage("user", "Bye"),
        ]);

        Assert.Equal(
            "<|im_start|>system\nBe brief.<|im_end|>\n" +
            "<|im_start|>user\nHi<|im_end|>\n" +
            "<|im_start|>assistant\nHello.<|im_end|>\n" +
            "<|im_start|>user\nBye<|im_end|>\n" +
            "<|im_start|>assistant\n",
            prompt);
    }

    [Theory]
    [InlineData("gemma3")]
    [InlineData("gemma3_text")]
    public void Gemma_folds_the_system_text_into_the_first_user_turn_and_calls_the_assistant_model(string modelType)
    {
        var prompt = ChatTemplates.ForModelType(modelType).Render(
        [
            new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "Hi"),
            new ChatMessage("assistant", "Hello."),
            new ChatMessage("user", "What color is an apple?"),
        ]);

        Assert.Equal(
            "<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n" +
            "<start_of_turn>model\nHello.<end_of_turn>\n" +
            "<start_of_turn>user\nWhat color is an apple?<end_of_turn>\n" +
            "<start_of_turn>model\n",
            prompt);
    }

    [Fact]
    public void Gemma_without_a_system_message_starts_with_the_user_turn()
    {
        var prompt = ChatTemplates.ForModelType("gemma3").Render([new ChatMessage("user", "Hi")]);

        Assert.Equal("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n", prompt);
    }

    [Fact]
    public void Gemma_rejects_turns_that_do_not_alternate()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatTemplates.ForModelType("gemma3").Render(
            [new ChatMessage("user", "Hi"), new ChatMessage("user", "Again")]));

        Assert.Contains("alternate", error.Message);
    }

    [Fact]
    public void An_unknown_model_type_is_refused_with_the_supported_ones_named()
    {
        var error = Assert.Throws<NotSupportedException>(() => ChatTemplates.ForModelType("mistral"));

        Assert.Contains("'mistral'", error.Message);
        Assert.Contains("llama", error.Message);
        Assert.Contains("gemma3", error.Message);
    }

    [Fact]
    public void An_empty_conversation_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ChatTemplates.ForModelType("llama").Render([]));
    }
}
