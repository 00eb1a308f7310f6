namespace OrleansSlm.Engine.Text;

/// <summary>The English text synthetic tokenizers learn their first merges from; changing it changes every synthetic vocabulary.</summary>
internal static class TrainingText
{
    public const string Text = """
        The quick brown fox jumps over the lazy dog. What color is an apple? An apple is red, green or yellow.
        The sun is a star at the center of our solar system, and the earth turns around it once a year.
        Water boils at one hundred degrees and freezes at zero. People drink water, eat bread and read books.
        I think that you should write a short answer. Please tell me what you know about the weather today.
        A helpful assistant answers questions with clear and simple words. It is raining in the city, so take an umbrella.
        Children play in the park after school while their parents talk about work, money, music and the news.
        The computer runs a program that reads the input, thinks for a moment and prints the result on the screen.
        Language models predict the next word from the words that came before; they learn from many examples.
        There are seven days in a week, twelve months in a year and twenty four hours in a day.
        She said: "Hello! How are you?" He answered: "I'm fine, thank you. And you?" They laughed together.
        Cats and dogs are friendly animals. Birds fly in the sky and fish swim in the sea, the river and the lake.
        This is the story of a small town where everyone knows each other and nothing ever seems to change.
        """;
}
