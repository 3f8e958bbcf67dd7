export const createTransport=()=>({}); export default {createTransport(){}};
