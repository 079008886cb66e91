package org.alongside.security;

/** The five SMART v2 permissions, in the order a v2 scope lists them ({@code .cruds}). */
public enum Interaction {
    CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

    private final char letter;

    Interaction(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }
}
