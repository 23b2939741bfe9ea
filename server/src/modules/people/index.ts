// Registers the people module's types and fields with the schema builder.
import './person.type.js';
